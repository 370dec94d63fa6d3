// What the capture and its replay say to a person, in English and Chinese:
// errors about a capture file, and why a part of it is not replayed.
import type { Phrase } from '../report/phrases.js';
import type { Bilingual } from '../model/i18n.js';

const phrase = <T extends Phrase>(f: T): T => f;
const FIX = { en: 'capture the server again with `npm run lab -- capture-script`', zh: '请用 `npm run lab -- capture-script` 打印的脚本重新采集' };

export const captureSay = {
  // a capture file that cannot be used
  cannotRead: phrase((file: string, why: string) => ({ en: `cannot read capture ${file}: ${why}`, zh: `无法读取采集文件 ${file}：${why}` })),
  notJson: phrase((file: string, why: string) => ({
    en: `${file} is not JSON (${why}): ${FIX.en}`,
    zh: `${file} 不是 JSON（${why}）：${FIX.zh}`,
  })),
  notACapture: phrase((file: string, what: string) => ({
    en: `${file} is not an eiplab capture (${what}; a capture says "format": "eiplab-capture"): ${FIX.en}`,
    zh: `${file} 不是 eiplab 的采集结果（${what}；采集结果带有 "format": "eiplab-capture"）：${FIX.zh}`,
  })),
  badVersion: phrase((file: string, version: string, supported: number) => ({
    en: `${file}: capture version ${version} is not one this lab reads (it reads version ${supported}): ${FIX.en}`,
    zh: `${file}：采集格式版本 ${version} 无法读取（本实验读取版本 ${supported}）：${FIX.zh}`,
  })),
  missingField: phrase((file: string, field: string) => ({
    en: `${file}: the field ${field} is missing: ${FIX.en}`,
    zh: `${file}：缺少字段 ${field}：${FIX.zh}`,
  })),
  badField: phrase((file: string, field: string, why: string) => ({ en: `${file}: field ${field}: ${why}`, zh: `${file}：字段 ${field} 有误：${why}` })),
  longIfname: phrase((file: string, name: string, length: number, max: number) => ({
    en: `${file}: interface "${name}" has ${length} characters: Linux names have at most ${max}`,
    zh: `${file}：接口名 "${name}" 有 ${length} 个字符，Linux 接口名最多 ${max} 个字符`,
  })),
  badIfname: phrase((file: string, name: string) => ({
    en: `${file}: interface name "${name}" has characters an interface name cannot have`,
    zh: `${file}：接口名 "${name}" 含有接口名不允许的字符`,
  })),
  noGateway: phrase((file: string) => ({
    en: `${file}: the main table has no default route via a gateway, so the lab has no gateway for the edge to be`,
    zh: `${file}：main 路由表里没有经网关的默认路由，实验无法确定边缘路由器要扮演的网关`,
  })),
  gatewayOffSubnet: phrase((file: string, gateway: string, dev: string) => ({
    en: `${file}: the default gateway ${gateway} is on no subnet of ${dev}'s addresses: the NICs share no subnet with a gateway`,
    zh: `${file}：默认网关 ${gateway} 不在 ${dev} 任何地址的子网里：这些网卡没有与网关共享的子网`,
  })),
  tooManyNics: phrase((file: string, count: number, subnet: string, names: string, max: number) => ({
    en: `${file}: ${count} NICs on the gateway's subnet ${subnet} (${names}): the lab builds at most ${max}; remove the others from the capture's links and addresses`,
    zh: `${file}：网关所在子网 ${subnet} 上有 ${count} 块网卡（${names}）：实验最多搭建 ${max} 块；请从采集结果的 links 和 addresses 中删去多余的`,
  })),
  tooFewNics: phrase((file: string, count: number, subnet: string, min: number) => ({
    en: `${file}: ${count} NIC on the gateway's subnet ${subnet}: the lab measures servers with at least ${min}`,
    zh: `${file}：网关所在子网 ${subnet} 上只有 ${count} 块网卡：实验测量的服务器至少要有 ${min} 块`,
  })),
  badMac: phrase((file: string, nic: string, mac: string) => ({
    en: `${file}: ${nic} has no unicast MAC address (${mac})`,
    zh: `${file}：${nic} 没有单播 MAC 地址（${mac}）`,
  })),
  sharedMac: phrase((file: string, macs: string) => ({
    en: `${file}: two NICs share a MAC address (${macs}): the lab's router tells NICs apart by MAC`,
    zh: `${file}：两块网卡的 MAC 地址相同（${macs}）：实验的路由器靠 MAC 区分网卡`,
  })),
  publicAddress: phrase((file: string, where: string, ip: string) => ({
    en: `${file}: ${where} has ${ip}, not a private address (RFC 1918): the lab replays private addresses only, and gives each NIC an elastic-IP stand-in`,
    zh: `${file}：${where} 的地址 ${ip} 不是私网地址（RFC 1918）：实验只重放私网地址，并给每块网卡分配一个弹性公网 IP 的替身`,
  })),

  // --eip NIC=ADDR
  badEip: phrase((value: string) => ({
    en: `bad --eip "${value}": give NIC=ADDRESS, e.g. --eip eth1=198.51.100.75`,
    zh: `--eip "${value}" 格式不对：请写成 网卡=地址，例如 --eip eth1=198.51.100.75`,
  })),
  eipUnknownNic: phrase((nic: string, nics: string) => ({
    en: `--eip ${nic}=...: the capture has no NIC ${nic} (its NICs: ${nics})`,
    zh: `--eip ${nic}=...：采集结果里没有网卡 ${nic}（网卡有：${nics}）`,
  })),
  eipNotStandIn: phrase((ip: string, ranges: string) => ({
    en: `--eip ${ip} is not a stand-in for a public address (${ranges}): the lab never uses a real public address`,
    zh: `--eip ${ip} 不是公网地址的替身（${ranges}）：实验从不使用真实公网地址`,
  })),
  eipTaken: phrase((ip: string, what: string) => ({ en: `--eip ${ip} is already used (${what})`, zh: `--eip ${ip} 已被占用（${what}）` })),

  // why a part of the capture is not replayed
  namesInterface: phrase((name: string) => ({
    en: `names ${name}, an interface the lab does not create`,
    zh: `用到了 ${name}，实验不会创建这个接口`,
  })),
  ipsetMatch: phrase(() => ({ en: 'matches an ipset, whose contents are not captured', zh: '匹配了 ipset，而 ipset 的内容没有被采集' })),
  physdev: phrase(() => ({ en: 'matches bridge ports (physdev), which the lab does not create', zh: '匹配了网桥端口（physdev），实验不会创建这些端口' })),
  gatewayOutside: phrase((gateway: string) => ({
    en: `goes through ${gateway}, outside the captured subnets`,
    zh: `经由 ${gateway}，它不在采集到的子网里`,
  })),
  notIpv4: phrase((family: string) => ({ en: `${family}: the lab replays IPv4 only`, zh: `${family}：实验只重放 IPv4` })),
  unknownField: phrase((what: string, field: string) => ({
    en: `${what} field "${field}" is not one the replay knows`,
    zh: `${what} 的字段 "${field}" 不在重放支持的范围内`,
  })),
  unknownValue: phrase((what: string, value: string) => ({
    en: `${what} "${value}" is not one the replay can write`,
    zh: `${what} "${value}" 无法被重放写入`,
  })),
  notCreated: phrase((kind: string) => ({
    en: `a ${kind} interface, not a NIC on the gateway's subnet: not created, nor its addresses, the kernel's routes for them, or its sysctls`,
    zh: `${kind} 类型的接口，不是网关子网上的网卡：不创建它，也不创建它的地址、内核为这些地址生成的路由和它的 sysctl`,
  })),
  notReplayedTitle: phrase((count: number) => ({
    en: `not replayed from the capture (${count}):`,
    zh: `采集结果中未重放的部分（${count} 项）：`,
  })),
  conntrack: phrase(() => ({
    en: 'connections open at capture time are not captured: the lab starts with an empty table',
    zh: '采集时已建立的连接没有被采集：实验从空的连接跟踪表开始',
  })),
} satisfies Record<string, (...args: never[]) => Bilingual>;
