// The terminal's fixed phrases, in English and Chinese. Each is a function
// of what it mentions, so a sentence keeps its own word order in each
// language. Command lines, option names and check names stay as they are.
import type { Bilingual } from '../model/i18n.js';

/** Any arguments: the completeness test calls each phrase with placeholders. */
export type Phrase = (...args: never[]) => Bilingual;

const phrase = <T extends Phrase>(f: T): T => f;

export const say = {
  // lab phases
  up: phrase((profile: string) => ({ en: `up: 3 namespaces, profile ${profile}`, zh: `搭建实验环境：3 个网络命名空间，环境 ${profile}` })),
  leftover: phrase(() => ({ en: 'removing a leftover lab first', zh: '先清理上次遗留的实验环境' })),
  failedUp: phrase(() => ({ en: 'cleaning up after the failed up', zh: '搭建失败，正在清理' })),
  down: phrase(() => ({ en: 'down', zh: '拆除实验环境' })),
  halted: phrase(() => ({ en: 'stopped: the lab is being torn down', zh: '已停止：实验环境正在拆除' })),
  apply: phrase((id: string, title: string, seed: string, ctx: string) => ({
    en: `apply ${id}: ${title} (seed: ${seed}) ${ctx}`,
    zh: `应用 ${id}：${title}（原文：${seed}）${ctx}`,
  })),
  scenario: phrase((name: string, explain: string) => ({ en: `scenario ${name}: ${explain}`, zh: `场景 ${name}：${explain}` })),
  applied: phrase((id: string) => ({ en: `applied ${id}`, zh: `已应用 ${id}` })),
  forgetFailed: phrase((why: string) => ({
    en: `the kept lab could not forget the last cell's traffic (${why}): this cell is a full run`,
    zh: `保留的实验环境清不掉上一格的流量痕迹（${why}）：这一格完整重跑`,
  })),
  applyKept: phrase((id: string) => ({
    en: `${id} stays applied from the last cell, which differed only in profile`,
    zh: `${id} 沿用上一格的配置（两格只差网络配置）`,
  })),
  removingFirst: phrase((id: string) => ({ en: `removing ${id} first`, zh: `先移除已应用的 ${id}` })),
  verify: phrase((count: number) => ({
    en: `verify: probing ${count} instances from the client and from inside the server`,
    zh: `验证：从客户端和服务器内部探测 ${count} 个实例`,
  })),
  // the kernel's account of a verdict (lab/checks/kernel/)
  kernel: phrase((line: string) => ({ en: `kernel: ${line}`, zh: `内核：${line}` })),
  kernelRoute: phrase((from: string, table: string, rule: string, entry: string) => ({
    en: `route from ${from} -> table ${table}${rule ? ` (rule ${rule})` : ''} -> ${entry}`,
    zh: `路由：从 ${from} -> 路由表 ${table}${rule ? `（规则 ${rule}）` : ''} -> ${entry}`,
  })),
  kernelRouteOnLink: phrase((from: string, to: string, dev: string) => ({
    en: `route from ${from}: no table has a route to ${to} through ${dev}, so the kernel assumes ${to} is on ${dev}'s link`,
    zh: `路由：从 ${from}：没有哪张路由表有经 ${dev} 到 ${to} 的路由，于是内核假定 ${to} 就在 ${dev} 的链路上`,
  })),
  kernelRouteRefused: phrase((from: string, to: string, why: string) => ({
    en: `route from ${from} to ${to}: refused by the kernel (${why})`,
    zh: `路由：从 ${from} 到 ${to}：内核拒绝（${why}）`,
  })),
  kernelNatHit: phrase((chain: string, action: string, rewrite: string) => ({
    en: `${chain} '${action}' matched${rewrite ? ` (${rewrite})` : ''}`,
    zh: `${chain} 中 '${action}' 命中${rewrite ? `（${rewrite}）` : ''}`,
  })),
  kernelNatNone: phrase((chain: string) => ({ en: `${chain}: no NAT rule matched`, zh: `${chain}：没有 NAT 规则命中` })),
  kernelNatMissed: phrase((action: string) => ({ en: `'${action}' did not match`, zh: `'${action}' 没有命中` })),
  kernelNatUnreached: phrase((action: string) => ({ en: `'${action}' not reached`, zh: `'${action}' 没有执行到` })),
  kernelSourceTo: phrase((ip: string) => ({ en: `source -> ${ip}`, zh: `源地址 -> ${ip}` })),
  kernelDestTo: phrase((ip: string) => ({ en: `destination -> ${ip}`, zh: `目的地址 -> ${ip}` })),
  kernelMasqTo: phrase((ip: string, dev: string) => ({ en: `source -> ${ip}, ${dev}'s address`, zh: `源地址 -> ${ip}，即 ${dev} 的地址` })),
  kernelDropRpFilter: phrase((n: number, nic: string) => ({
    en: `dropped: rp_filter in the server dropped ${n} packet(s) arriving on ${nic} (IPReversePathFilter +${n})`,
    zh: `丢弃：服务器的 rp_filter 丢弃了从 ${nic} 进来的 ${n} 个包（IPReversePathFilter +${n}）`,
  })),
  kernelDropSourceCheck: phrase((n: number, ip: string, via: string) => ({
    en: `dropped: the VPC's source check dropped ${n} frame(s) with source ${ip} sent out ${via}`,
    zh: `丢弃：VPC 的源地址检查丢弃了 ${n} 个从 ${via} 发出、源地址为 ${ip} 的帧`,
  })),
  kernelDropSourceCheckOut: phrase((n: number, via: string) => ({
    en: `dropped: the VPC's source check dropped ${n} frame(s) of the connection sent out ${via} with another NIC's source`,
    zh: `丢弃：VPC 的源地址检查丢弃了该连接从 ${via} 发出、却带着别的网卡源地址的 ${n} 个帧`,
  })),
  kernelDropNetfilter: phrase((where: string, rule: string) => ({ en: `dropped by netfilter: ${where} '${rule}'`, zh: `被 netfilter 丢弃：${where} '${rule}'` })),
  kernelNoRequest: phrase(() => ({ en: 'the request never reached the server', zh: '请求根本没有到达服务器' })),
  kernelNoSynAck: phrase(() => ({ en: 'no SYN-ACK left the server for the request', zh: '服务器没有为该请求发出 SYN-ACK' })),
  kernelNoEchoSynAck: phrase((echo: string) => ({ en: `no SYN-ACK came back from ${echo}`, zh: `${echo} 没有回 SYN-ACK` })),
  kernelNoOutgoing: phrase(() => ({ en: 'no SYN to the echo server was traced', zh: '没有追踪到发往 echo 服务器的 SYN' })),
  kernelNoOutgoingAfterDns: phrase(() => ({
    en: 'no SYN to the echo server was traced after its DNS query',
    zh: '它发出 DNS 查询之后，没有追踪到发往 echo 服务器的 SYN',
  })),
  kernelDropSourceCheckDns: phrase((n: number, via: string) => ({
    en: `dropped: the VPC's source check dropped ${n} frame(s) sent out ${via} with another NIC's source (its DNS queries), so no SYN to the echo server followed`,
    zh: `丢弃：VPC 的源地址检查丢弃了从 ${via} 发出、却带着别的网卡源地址的 ${n} 个帧（它的 DNS 查询），所以之后没有发往 echo 服务器的 SYN`,
  })),
  kernelUnavailable: phrase((why: string) => ({
    en: `no trace on this lab host (${why}); the verdicts are measured as always`,
    zh: `这台实验主机上无法追踪（${why}）；判定照常由测量得出`,
  })),
  kernelContradicts: phrase((claims: string) => ({
    en: `the kernel's account contradicts the reason: ${claims}`,
    zh: `内核的记录与原因说明相矛盾：${claims}`,
  })),
  kernelClaimDev: phrase((claimed: string, actual: string) => ({
    en: `it says through ${claimed}, the route leaves through ${actual}`,
    zh: `原因说经 ${claimed}，路由实际从 ${actual} 出去`,
  })),
  kernelClaimTable: phrase((claimed: string, actual: string) => ({
    en: `it says table ${claimed}, the route came from table ${actual}`,
    zh: `原因说路由表 ${claimed}，路由实际来自路由表 ${actual}`,
  })),
  kernelClaimPolicy: phrase((rule: string) => ({
    en: `it says a policy rule routes the packet, the route came from table main (rule ${rule})`,
    zh: `原因说由策略规则选路，路由实际来自 main 表（规则 ${rule}）`,
  })),
  kernelClaimMasquerade: phrase(() => ({ en: 'it names MASQUERADE, which matched nothing', zh: '原因提到 MASQUERADE，但它什么都没命中' })),
  kernelClaimDrop: phrase((claimed: string) => ({
    en: `it says ${claimed} drops the packet, the kernel's account shows no such drop`,
    zh: `原因说 ${claimed} 丢弃了包，内核的记录里没有这样的丢弃`,
  })),
  ownAppNoVrf: phrase((scheme: string) => ({
    en: `${scheme} starts the instances inside VRFs, which the lab does for its own app only, not for --app-cmd or --app-image`,
    zh: `${scheme} 在 VRF 里启动实例，实验只对自己的应用这样做，不支持 --app-cmd 或 --app-image`,
  })),
  ownAppCopied: phrase((target: string, path: string) => ({
    en: `\n  your program, copied to the ${target} lab host: ${path} (removed with the lab)`,
    zh: `\n  你的程序已复制到 ${target} 实验主机：${path}（随实验环境一起删除）`,
  })),
  keep: phrase(() => ({
    en: 'the lab stays up (--keep): `npm run lab -- verify` measures again, `npm run lab:down` removes it',
    zh: '实验环境保留（--keep）：`npm run lab -- verify` 再测一次，`npm run lab:down` 拆除',
  })),
  notUp: phrase((prefix: string) => ({
    en: `no lab "${prefix}" is up: run \`npm run lab -- up\` first`,
    zh: `实验环境 "${prefix}" 没有启动：先运行 \`npm run lab -- up\``,
  })),
  otherNics: phrase((prefix: string, upWith: string, given: string) => ({
    en: `lab "${prefix}" is up with the NICs ${upWith}, and this command's config has ${given}: give it the same --nics and --config as \`up\``,
    zh: `实验环境 "${prefix}" 启动时的网卡是 ${upWith}，而这条命令的配置是 ${given}：请给它和 \`up\` 相同的 --nics 与 --config`,
  })),
  noScheme: phrase(() => ({
    en: 'no scheme is applied: run `npm run lab -- apply <scheme>` first',
    zh: '还没有应用任何方案：先运行 `npm run lab -- apply <scheme>`',
  })),

  // --step
  stepPrompt: phrase((index: number, total: number) => ({
    en: `step ${index}/${total}: press Enter to run it (Ctrl-C stops and removes the lab)`,
    zh: `第 ${index}/${total} 步：按回车执行（Ctrl-C 中止并拆除实验环境）`,
  })),
  stepNoTerminal: phrase(() => ({
    en: '--step: stdin is not a terminal, so the steps run straight through',
    zh: '--step：标准输入不是终端，不逐步暂停，依次执行全部步骤',
  })),

  // the result table
  colInstance: phrase(() => ({ en: 'instance', zh: '实例' })),
  colCheck: phrase(() => ({ en: 'check', zh: '检查项' })),
  colMeasured: phrase(() => ({ en: 'measured', zh: '实测' })),
  colExpected: phrase(() => ({ en: 'expected', zh: '预期' })),
  colEvidence: phrase(() => ({ en: 'evidence', zh: '证据' })),
  why: phrase((reason: string) => ({ en: `why: ${reason}`, zh: `原因：${reason}` })),
  allAsExpected: phrase((total: number) => ({ en: `all ${total} checks as expected`, zh: `全部 ${total} 项检查符合预期` })),
  measuredOnly: phrase((total: number) => ({ en: `${total} checks measured (the scheme states no facts: nothing to compare)`, zh: `测量了 ${total} 项检查（方案没有声明事实：不做比较）` })),
  someDiffer: phrase((differ: number, total: number) => ({
    en: `${differ} of ${total} checks differ from expected`,
    zh: `${total} 项检查中有 ${differ} 项与预期不符`,
  })),
  ownBound: phrase((command: string) => ({
    en: `your app (${command}) binds: each instance's outgoing connection used its listen address as source, before any NAT`,
    zh: `你的应用（${command}）绑定了源地址：每个实例主动外连时都以自己的监听地址为源地址（NAT 之前）`,
  })),
  ownPlain: phrase((command: string, which: string) => ({
    en: `your app (${command}) does not bind: ${which}`,
    zh: `你的应用（${command}）没有绑定源地址：${which}`,
  })),
  ownPlainWhich: phrase((nic: string, listen: string, from: string) => ({
    en: `${nic}'s instance listens on ${listen} but dialed from ${from} (before NAT)`,
    zh: `${nic} 的实例监听 ${listen}，外连却用了 ${from}（NAT 之前）`,
  })),
  ownNoCall: phrase((command: string) => ({
    en: `your app (${command}) made no outgoing connection to the echo server, so its binding was not measured`,
    zh: `你的应用（${command}）没有向 echo 服务器发起连接，所以没能测出它是否绑定源地址`,
  })),
  ownExpectedFor: phrase((app: string) => ({
    en: `expected verdicts: the lab's own app as \`${app}\`, measured`,
    zh: `预期结果：按实测，取实验自带应用 \`${app}\` 变体的预期`,
  })),
  ownNotOffered: phrase((scheme: string, offered: string, measured: string) => ({
    en: `${scheme} is written for a ${offered} app and yours is ${measured}: the expected verdicts are the ${offered} app's, so what differs is what your app does differently`,
    zh: `${scheme} 是为 ${offered} 应用写的，而你的应用是 ${measured}：预期结果按 ${offered} 应用给出，不符之处正是你的应用行为不同的地方`,
  })),
  passFail: phrase((pass: number, fail: number) => ({ en: `(${pass} pass, ${fail} fail)`, zh: `（${pass} 项通过，${fail} 项失败）` })),

  // the CLI
  goBuilding: phrase((platform: string) => ({
    en: `building the Go app, echo server and load generator (static binaries${platform ? ` for ${platform}` : ''}; the first build takes about 15 s)`,
    zh: `正在编译 Go 应用、echo 服务器和压测工具（静态二进制${platform ? `，目标平台 ${platform}` : ''}；第一次编译约需 15 秒）`,
  })),
  goBinariesCached: phrase((goDir: string, binDir: string) => ({
    en: `${goDir} cannot be written: the Go binaries are built into ${binDir}`,
    zh: `${goDir} 不可写：Go 二进制改为编译到 ${binDir}`,
  })),
  copiedBinaries: phrase((binaries: string, dir: string, target: string) => ({
    en: `copied ${binaries} to ${dir} on the ${target} lab host`,
    zh: `已把 ${binaries} 复制到 ${target} 实验主机的 ${dir}`,
  })),
  labIsUp: phrase((prefix: string) => ({
    en: `lab "${prefix}" is up: \`npm run lab -- apply <scheme>\` next, \`npm run lab:down\` to remove it`,
    zh: `实验环境 "${prefix}" 已启动：下一步 \`npm run lab -- apply <scheme>\`，拆除用 \`npm run lab:down\``,
  })),
  noLab: phrase((prefix: string) => ({ en: `no lab "${prefix}" is up`, zh: `实验环境 "${prefix}" 没有启动` })),
  statusLab: phrase((prefix: string, namespaces: string, pids: number) => ({
    en: `lab "${prefix}": namespaces ${namespaces}; ${pids} processes inside`,
    zh: `实验环境 "${prefix}"：网络命名空间 ${namespaces}；其中运行着 ${pids} 个进程`,
  })),
  none: phrase(() => ({ en: 'none', zh: '无' })),
  statusProfile: phrase((profile: string, since: string) => ({ en: `profile ${profile}, up since ${since}`, zh: `环境 ${profile}，启动于 ${since}` })),
  statusApplied: phrase((what: string) => ({ en: `applied: ${what}`, zh: `已应用：${what}` })),
  statusNoScheme: phrase(() => ({ en: 'no scheme applied', zh: '尚未应用方案' })),
  outputClosed: phrase((code: number) => ({
    en: `standard output closed before the command ended (its reader went away); the command still finished, teardown included (it would have exited ${code}); exiting 2`,
    zh: `命令结束前标准输出已关闭（读取端已退出）；命令仍然执行完毕，包括拆除实验环境（本应以 ${code} 退出）；现以 2 退出`,
  })),
  jsonWritten: phrase((file: string) => ({ en: `results written to ${file}`, zh: `结果已写入 ${file}` })),
  junitWritten: phrase((file: string, cases: number) => ({ en: `JUnit written to ${file} (${cases} testcases)`, zh: `JUnit 已写入 ${file}（${cases} 个测试用例）` })),
  reportWritten: phrase((file: string) => ({ en: `report written to ${file}`, zh: `报告已写入 ${file}` })),
  signal: phrase((signal: string) => ({
    en: `eiplab: ${signal}: tearing the lab down before exiting`,
    zh: `eiplab：收到 ${signal}，退出前拆除实验环境`,
  })),

  // a target whose lab host is made for the lab (the container target)
  noLabOn: phrase((prefix: string, target: string) => ({ en: `no lab "${prefix}" is up on the ${target} target`, zh: `${target} 目标上没有启动实验环境 "${prefix}"` })),
  notLinux: phrase((platform: string) => ({
    en: `this machine (${platform}) is not Linux, so it has no network namespaces`,
    zh: `这台机器（${platform}）不是 Linux，没有网络命名空间`,
  })),
  noNetns: phrase(() => ({ en: 'this kernel gives no network namespaces', zh: '这个内核不提供网络命名空间' })),
  usingVm: phrase((why: string) => ({
    en: `${why}: using the project's VM (--target vagrant; --target local to insist)`,
    zh: `${why}：改用项目的虚拟机（--target vagrant；坚持用本机请加 --target local）`,
  })),
  useAnotherTarget: phrase((why: string) => ({
    en: `${why}: run \`npm run lab:vm:up\` once and add \`--target vagrant\`, or add \`--target container\` with Docker running`,
    zh: `${why}：先运行一次 \`npm run lab:vm:up\` 再加 \`--target vagrant\`，或在 Docker 运行时加 \`--target container\``,
  })),
  notUpOn: phrase((prefix: string, target: string, up: string) => ({
    en: `no lab "${prefix}" is up on the ${target} target: run \`${up}\` first`,
    zh: `${target} 目标上没有启动实验环境 "${prefix}"：先运行 \`${up}\``,
  })),
  nothingToTakeDown: phrase((prefix: string, target: string) => ({
    en: `no lab "${prefix}" is up on the ${target} target: nothing to take down`,
    zh: `${target} 目标上没有启动实验环境 "${prefix}"：无需拆除`,
  })),
  sameLab: phrase((flags: string) => ({ en: `later commands reach this lab with${flags}`, zh: `之后的命令加上${flags}即可访问这个实验环境` })),

  // the matrix
  matrix: phrase((cells: number, schemes: string, profiles: string) => ({
    en: `matrix: ${cells} cells (${schemes} x ${profiles})`,
    zh: `矩阵：${cells} 个单元（${schemes} x ${profiles}）`,
  })),
  matrixShard: phrase((index: number, count: number, cells: number) => ({
    en: `shard ${index}/${count}: ${cells} of them`,
    zh: `分片 ${index}/${count}：其中 ${cells} 个`,
  })),
  merged: phrase((cells: number, files: number) => ({ en: `merged ${cells} cells from ${files} files`, zh: `从 ${files} 个文件合并了 ${cells} 个单元` })),
  mergedTarget: phrase((target: string) => ({ en: `on the ${target} target:`, zh: `在 ${target} 目标上：` })),
  matrixWorkers: phrase((n: number, prefixes: string) => ({ en: `${n} at once (${prefixes})`, zh: `同时运行 ${n} 个（${prefixes}）` })),
  cellAsExpected: phrase(() => ({ en: 'as expected', zh: '符合预期' })),
  cellDiffer: phrase((differ: number) => ({ en: `${differ} differ`, zh: `${differ} 项不符` })),
  cellSkipped: phrase(() => ({ en: 'skipped', zh: '已跳过' })),
  skippedBecause: phrase((reason: string) => ({ en: `skipped: ${reason}`, zh: `已跳过：${reason}` })),
  runSkipped: phrase((label: string, reason: string, time: string) => ({
    en: `${label}: skipped (${reason}), in ${time}`,
    zh: `${label}：已跳过（${reason}），用时 ${time}`,
  })),
  runSummary: phrase((label: string, total: number, ok: number, differ: number, pass: number, fail: number, time: string) => ({
    en: `${label}: ${total} checks: ${ok} as expected, ${differ} differ (${pass} pass, ${fail} fail), in ${time}`,
    zh: `${label}：${total} 项检查：${ok} 项符合预期，${differ} 项不符（${pass} 项通过，${fail} 项失败），用时 ${time}`,
  })),
  matrixSummary: phrase((cells: number, ok: number, differ: number, skipped: number, time: string) => ({
    en: `${cells} cells: ${ok} as expected, ${differ} differ${skipped ? `, ${skipped} skipped` : ''}, in ${time}`,
    zh: `${cells} 个单元：${ok} 个符合预期，${differ} 个不符${skipped ? `，${skipped} 个跳过` : ''}，用时 ${time}`,
  })),
  matrixVariant: phrase(() => ({ en: 'variant', zh: '变体' })),
  matrixLegend: phrase(() => ({
    en: 'per instance: ingress-nic reply-nic egress-ip egress-nic; + pass, - fail (as expected); P/F measured pass/fail where the other was expected; p/f measured only (the scheme states no facts)',
    zh: '每个实例依次为：ingress-nic reply-nic egress-ip egress-nic；+ 通过、- 失败（均符合预期）；P/F 表示实测通过/失败而预期相反；p/f 表示只测量（方案没有声明事实）',
  })),

  // shell and exec
  shellBanner: phrase((ns: string, node: string, tryThese: string) => ({
    en: `a shell in ${ns} (the lab's ${node} node); try ${tryThese}; \`exit\` leaves it`,
    zh: `已进入 ${ns}（实验的 ${node} 节点）的 shell；可以试试 ${tryThese.replace(/, /g, '、')}；\`exit\` 退出`,
  })),
  noInteractive: phrase((target: string) => ({
    en: `the ${target} target cannot attach a terminal: use \`npm run lab -- exec <node> -- <command>\``,
    zh: `${target} 目标无法接入终端：请改用 \`npm run lab -- exec <node> -- <command>\``,
  })),

  // watch
  watchTitle: phrase((ns: string) => ({
    en: `packets per NIC in ${ns} (nft table inet eiplab_probe)`,
    zh: `${ns} 中各网卡的数据包计数（nft 表 inet eiplab_probe）`,
  })),
  watchIngress: phrase(() => ({ en: 'ingress', zh: '入站请求' })),
  watchReply: phrase(() => ({ en: 'reply', zh: '回包' })),
  watchEgress: phrase(() => ({ en: 'egress', zh: '主动外连' })),
  watchTo: phrase((nic: string, ip: string) => ({ en: `to ${nic}'s IP ${ip}`, zh: `发往 ${nic} 的 IP ${ip}` })),
  watchFrom: phrase((nic: string, ip: string) => ({ en: `from ${nic}'s IP ${ip}`, zh: `来自 ${nic} 的 IP ${ip}` })),
  watchSyns: phrase((echo: string) => ({ en: `SYNs to the echo server ${echo}`, zh: `发往 echo 服务器 ${echo} 的 SYN` })),
  watchOther: phrase((count: number) => ({ en: `through any other interface: ${count}`, zh: `经其他接口：${count}` })),
  watchDrops: phrase(() => ({ en: 'dropped by the VPC source check', zh: '被 VPC 源地址检查丢弃' })),
  watchApplied: phrase((what: string) => ({ en: `applied: ${what}`, zh: `已应用：${what}` })),
  watchLegend: phrase(() => ({
    en: "(+n): since the last refresh; !: the packets took the NIC that does not own the address",
    zh: '（+n）：自上次刷新以来的增量；!：数据包走了不拥有该地址的那块网卡',
  })),
  watchHint: phrase(() => ({ en: 'refreshed every second; Ctrl-C stops', zh: '每秒刷新；Ctrl-C 停止' })),
} satisfies Record<string, Phrase>;
