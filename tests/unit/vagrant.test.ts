// The pure parts of the vagrant target: reading `vagrant ssh-config`,
// quoting scripts for the remote shell, the host-NIC link steps, the VM's
// package list, copying binaries only when they changed, and copying a
// user's program to the VM.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BINARIES } from '../../lab/go/build.js';
import { defaultConfig } from '../../lab/config/config.js';
import { LabError } from '../../lab/model/errors.js';
import { isBilingual, t } from '../../lab/model/i18n.js';
import { shQuote } from '../../lab/hosts/quote.js';
import { putFileVia, syncBinaries, type RootExec } from '../../lab/hosts/sync-binaries.js';
import { ownAppOnLabHost } from '../../lab/run/own-app-host.js';
import { Lab } from '../../lab/run/lab.js';
import { silentReporter } from '../../lab/report/console.js';
import { getScheme } from '../../lab/model/scheme-registry.js';
import { startApp } from '../../lab/schemes/blocks/app.js';
import { HOST_NIC_EDGE_PORT, hostNicLinks, linksFor, vethLinks } from '../../lab/topology/links.js';
import { teardownSteps } from '../../lab/topology/teardown.js';
import { topologySteps } from '../../lab/topology/topology.js';
import { provider } from '../../lab/hosts/vagrant/lifecycle.js';
import { endpointFrom, parseSshConfig } from '../../lab/hosts/vagrant/ssh-config.js';
import { libvirtNames, VM, vmPackages, vmPrefix } from '../../lab/hosts/vagrant/vm.js';
import { localTarget } from '../../lab/hosts/local.js';

const dir = mkdtempSync(join(tmpdir(), 'eiplab-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const key = join(dir, 'private key');
writeFileSync(key, 'KEY');

describe('vagrant ssh-config', () => {
  const text = `Host vm
  HostName 172.31.255.106
  User vagrant
  Port 22
  UserKnownHostsFile /dev/null
  IdentityFile /nowhere/insecure_private_key
  IdentityFile "${key}"
  IdentitiesOnly yes
`;

  it('gives host, port, user and the first key file that exists (quoted paths too)', () => {
    const ep = endpointFrom(parseSshConfig(text));
    expect(ep).toMatchObject({ host: '172.31.255.106', port: 22, username: 'vagrant' });
    expect(ep.privateKey.toString()).toBe('KEY');
  });

  it('refuses a ProxyCommand and a config without host or key, with a LabError', () => {
    expect(() => endpointFrom(parseSshConfig(`${text}  ProxyCommand ssh -W %h:%p jump\n`))).toThrow(LabError);
    expect(() => endpointFrom(parseSshConfig('Host vm\n  User vagrant\n'))).toThrow(/no HostName/);
  });
});

describe('shQuote', () => {
  it.each(["plain", "it's", "a b  c", '$HOME `id` "q" \\n', "'", "multi\nline; exit 3"])('%j survives sh -c', (s) => {
    expect(execFileSync('sh', ['-c', `printf %s ${shQuote(s)}`], { encoding: 'utf8' })).toBe(s);
  });
});

describe('the server NICs: veth pairs or the lab host own NICs', () => {
  const cfg = defaultConfig('unit');
  const links = hostNicLinks(VM.nics);

  it('the target decides: nics given means host NICs', () => {
    expect(linksFor(localTarget('/bin'))).toBe(vethLinks);
    expect(linksFor({ ...localTarget('/bin'), nics: VM.nics }).edgePort(cfg, cfg.nics[0])).toBe(HOST_NIC_EDGE_PORT);
  });

  it('with host NICs the topology moves them in by MAC, creates no veth for the server, and pins both MACs on the one port', () => {
    const script = topologySteps(cfg, links).flatMap((s) => s.commands).join('\n');
    expect(script).toContain(`take ${VM.nics.server[0]} unit-server eth0`);
    expect(script).toContain(`take ${VM.nics.server[1]} unit-server eth1`);
    expect(script).toContain(`take ${VM.nics.edge} unit-edge ${HOST_NIC_EDGE_PORT}`);
    expect(script).not.toMatch(/peer name eth\d/);
    for (const nic of cfg.nics) expect(script).toContain(`bridge fdb replace ${nic.mac} dev ${HOST_NIC_EDGE_PORT} master static`);
  });

  it('the veth topology is unchanged: one veth per NIC, its own port each', () => {
    const script = topologySteps(cfg).flatMap((s) => s.commands).join('\n');
    for (const nic of cfg.nics) {
      expect(script).toContain(`link add srv-${nic.name} type veth peer name ${nic.name} address ${nic.mac} netns unit-server`);
      expect(script).toContain(`bridge fdb replace ${nic.mac} dev srv-${nic.name} master static`);
    }
  });

  it('teardown gives the NICs back before deleting the namespaces and restores names after', () => {
    const steps = teardownSteps(cfg, links);
    const at = (re: RegExp) => steps.findIndex((s) => s.commands.some((c) => re.test(c)));
    expect(at(/^give_back /)).toBeLessThan(at(/ip netns del/));
    expect(at(/ip netns del/)).toBeLessThan(at(/name "\$home"/));
  });

  it('every step it adds speaks English and Chinese', () => {
    const steps = [...links.plug(cfg), ...links.release(cfg), ...links.restore(cfg), ...vethLinks.plug(cfg)];
    for (const s of steps) expect(isBilingual(s.explain), JSON.stringify(s.explain)).toBe(true);
  });

  it('adopt takes the MACs the lab host reports, and refuses a missing NIC or one held by another lab', async () => {
    const fake = (lines: string[]) => ({ ...localTarget('/bin'), run: async () => ({ code: 0, stdout: lines.join('\n'), stderr: '' }) });
    const [a, b] = VM.nics.server;
    const c = defaultConfig('unit');
    await links.adopt(fake([`${a} root eth1`, `${b} unit-server eth1`, `${VM.nics.edge} root eth3`]), c);
    expect(c.nics.map((n) => n.mac)).toEqual([a, b]);
    await expect(links.adopt(fake([`${a} none`, `${b} root eth2`, `${VM.nics.edge} root eth3`]), c)).rejects.toThrow(/no NIC with MAC/);
    await expect(links.adopt(fake([`${a} other-server eth0`, `${b} root eth2`, `${VM.nics.edge} root eth3`]), c)).rejects.toThrow(
      /held by namespace other-server.*--prefix other/,
    );
  });
});

describe('the VM', () => {
  it('gets the lab packages but not the Go toolchain (the binaries are built on the host)', () => {
    expect(vmPackages()).toContain('nftables');
    expect(vmPackages()).toContain('docker.io');
    expect(vmPackages()).not.toContain('golang-go');
  });

  it('names its libvirt objects after EIPLAB_VM_PREFIX, which must be a short plain name', () => {
    expect(vmPrefix({})).toBe('eiplab');
    expect(libvirtNames(vmPrefix({ EIPLAB_VM_PREFIX: 'eiplabv' }))).toMatchObject({ domain: 'eiplabv-vm', labNetwork: 'eiplabv-vpc', managementNetwork: 'eiplabv-mgmt' });
    expect(() => vmPrefix({ EIPLAB_VM_PREFIX: 'Bad!' })).toThrow(LabError);
  });

  it('comes up with libvirt unless Vagrant is told another provider', () => {
    expect(provider({})).toBe('libvirt');
    expect(provider({ VAGRANT_DEFAULT_PROVIDER: 'virtualbox' })).toBe('virtualbox');
  });
});

describe('copying the Go binaries', () => {
  const local = mkdtempSync(join(tmpdir(), 'eiplab-bin-'));
  for (const b of Object.values(BINARIES)) writeFileSync(join(local, b), `binary ${b}`);
  // The stand-in binaries are the test's own: every run used to leave its directory in /tmp.
  afterAll(() => rmSync(local, { recursive: true, force: true }));

  /** A remote side that keeps files in a map and understands the commands syncBinaries sends. */
  function remote() {
    const files = new Map<string, string>();
    const exec: RootExec = async (command, input) => {
      const cat = /^cat '([^']+)' 2>\/dev\/null/.exec(command);
      if (cat) return { code: 0, stdout: files.get(cat[1]) ?? '', stderr: '' };
      const write = /(?:mv '[^']+' |cat > )'([^']+)'$/.exec(command);
      if (write) files.set(write[1], String(input));
      return { code: 0, stdout: '', stderr: '' };
    };
    return { files, exec };
  }

  it('copies both the first time, nothing when their hashes match, and one after it changed', async () => {
    const r = remote();
    expect((await syncBinaries(r.exec, local, '/opt/eiplab/bin')).sort()).toEqual(Object.values(BINARIES).sort());
    expect(r.files.get('/opt/eiplab/bin/.sha256')).toMatch(/^[0-9a-f]{64} {2}eiplab-/);
    expect(await syncBinaries(r.exec, local, '/opt/eiplab/bin')).toEqual([]);
    writeFileSync(join(local, BINARIES.echo), 'new echo');
    expect(await syncBinaries(r.exec, local, '/opt/eiplab/bin')).toEqual([BINARIES.echo]);
  });
});

describe("a user's program on the VM (--app-cmd, --app-image)", () => {
  const own = mkdtempSync(join(tmpdir(), 'eiplab-own-'));
  afterAll(() => rmSync(own, { recursive: true, force: true }));
  const program = join(own, 'my app');
  writeFileSync(program, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 255]));

  /** The VM's root shell as putFileVia reaches it: runs the command for real, in a directory standing in for the VM's /. */
  const vm = mkdtempSync(join(tmpdir(), 'eiplab-vm-'));
  afterAll(() => rmSync(vm, { recursive: true, force: true }));
  const rootShell: RootExec = async (command, input) => {
    const r = spawnSync('sh', ['-c', command], { input, encoding: 'buffer' });
    return { code: r.status ?? 1, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
  };
  const vmTarget = { ...localTarget('/bin'), name: 'vagrant', putFile: (data: Buffer, path: string) => putFileVia(rootShell, data, `${vm}${path}`) };

  it('is copied byte for byte to the lab\'s app directory (not /run, noexec on the VM), executable, and the instances start that copy', async () => {
    const cfg = defaultConfig('unit');
    cfg.ownApp = { command: `"${program}" -listen {listen}`, argv: [program, '-listen', '{listen}'], path: '/' };
    const app = (await ownAppOnLabHost(vmTarget, cfg))!;
    expect(app.argv).toEqual(['/var/tmp/unit-app/my app', '-listen', '{listen}']);
    expect(app.command).toBe(cfg.ownApp.command);
    expect(readFileSync(`${vm}/var/tmp/unit-app/my app`)).toEqual(readFileSync(program));
    expect(statSync(`${vm}/var/tmp/unit-app/my app`).mode & 0o777).toBe(0o755);
    const start = startApp({ ...cfg, ownApp: app }, { nic: cfg.nics[1], listen: '172.31.0.14:8090', bind: false });
    expect(start[0]).toBe("lab_daemon app-eth1 '/var/tmp/unit-app/my app' '-listen' '172.31.0.14:8090'");
    // The teardown removes the copy with the run directory.
    expect(teardownSteps(cfg).flatMap((s) => s.commands)).toContain('rm -rf /run/unit /var/tmp/unit-app');
  });

  it('a scheme that starts the instances inside VRFs is one the VM can run, but not with your program: said so, as a skip', async () => {
    const cfg = defaultConfig('unit');
    cfg.ownApp = { command: './my-app', argv: [program], path: '/' };
    const withVrf = { ...localTarget('/bin'), name: 'vagrant', run: async () => ({ code: 0, stdout: '', stderr: '' }) };
    const vrf = await getScheme('vrf');
    expect(t((await new Lab(withVrf, cfg, silentReporter).lackingFeature(vrf))!, 'en')).toBe(
      'vrf starts the instances inside VRFs, which the lab does for its own app only, not for --app-cmd or --app-image',
    );
    expect(await new Lab(withVrf, defaultConfig('unit'), silentReporter).lackingFeature(vrf)).toBeNull();
  });

  it('an image archive is copied the same way; on this machine nothing is copied', async () => {
    const cfg = defaultConfig('unit');
    cfg.ownApp = { command: '--app-image img.tar', argv: [], path: '/', image: program, imagePort: 9000 };
    expect((await ownAppOnLabHost(vmTarget, cfg))!.image).toBe('/var/tmp/unit-app/my app');
    expect(await ownAppOnLabHost(localTarget('/bin'), cfg)).toBe(cfg.ownApp);
  });
});
