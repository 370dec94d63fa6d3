// The workshop commands as a trainee runs them, without a terminal: --step
// runs straight through, exec passes output and exit codes through, shell
// reads commands from a pipe, watch --once prints the counters, and --lang
// zh speaks Chinese while the JSON keeps its English reasons.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leftovers } from '../helpers/spawn-lab.js';

const P = 'eiplabw1';

function lab(args: string[], input = '') {
  const r = spawnSync('node', ['bin/eiplab.js', ...args], {
    encoding: 'utf8',
    input, // stdin is a pipe, never a terminal
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('workshop commands on a lab that is up', () => {
  let applied: ReturnType<typeof lab>;
  beforeAll(() => {
    expect(lab(['up', '--prefix', P]).code).toBe(0);
    applied = lab(['apply', 'scheme1', '--step', '--prefix', P]);
  });
  afterAll(() => {
    rmSync(`/tmp/${P}-result.json`, { force: true });
    lab(['down', '--prefix', P]);
    expect(leftovers(P)).toEqual([]);
  });

  it('apply --step without a terminal: shows every step (node, why, commands) and runs straight through', () => {
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('--step: stdin is not a terminal, so the steps run straight through');
    expect(applied.stdout).not.toContain('press Enter');
    for (const nic of ['eth0', 'eth1']) {
      expect(applied.stdout).toContain(`[server] Run one instance listening on ${nic}'s IP`);
      expect(applied.stdout).toContain(`$ lab_daemon app-${nic} eiplab-app`);
    }
    expect(applied.stdout).toContain('applied scheme1');
    expect(lab(['status', '--prefix', P]).stdout).toContain('applied: scheme1 app=bound fix=none');
  });

  it('exec prints what the command prints, in the node it names', () => {
    const r = lab(['exec', 'server', '--prefix', P, '--', 'ip', '-br', 'addr', 'show', 'eth1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^eth1\S*\s+UP\s+172\.31\.0\.14\/24/);
    expect(lab(['exec', 'inet', '--prefix', P, '--', 'ip', '-br', 'addr', 'show', 'lo']).stdout).toContain('192.0.2.10/32');
  });

  it("exec passes the command's exit code, stdout and stderr through", () => {
    const r = lab(['exec', 'edge', '--prefix', P, '--', 'sh', '-c', 'echo to-out; echo to-err >&2; exit 7']);
    expect(r.code).toBe(7);
    expect(r.stdout).toBe('to-out\n');
    expect(r.stderr).toBe('to-err\n');
    expect(lab(['exec', 'server', '--prefix', P, '--', 'false']).code).toBe(1);
  });

  it("exec: options after -- are the command's, and the client reaches instance 2 through its EIP", () => {
    const r = lab(['exec', 'inet', '--prefix', P, '--', 'curl', '-s', '--max-time', '2', 'http://198.51.100.75:8090/whoami']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ name: 'eth1', client: expect.stringMatching(/^100\.64\.0\.2:/) });
  });

  it('a bad node: one line naming the nodes, exit 2', () => {
    for (const args of [['exec', 'router', '--', 'true'], ['shell', 'host']]) {
      const r = lab([...args, '--prefix', P]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/unknown node "\w+": choose one of server, edge, inet/);
    }
  });

  it('shell reads commands from a pipe when there is no terminal; its prompt names lab and node', () => {
    const r = lab(['shell', 'server', '--prefix', P], 'ip -br link show eth1\nexit 3\n');
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^eth1\S*\s+UP\s+02:00:ac:1f:00:0e/m);
    expect(r.stderr).toContain(`a shell in ${P}-server`);
    expect(r.stderr).toContain(`[${P} server] # `);
  });

  it("watch --once: a request to EIP 2 shows up on eth1's ingress row, and its replies on eth0 marked as the wrong NIC", () => {
    expect(lab(['exec', 'inet', '--prefix', P, '--', 'curl', '-s', '--max-time', '2', 'http://198.51.100.75:8090/whoami']).code).toBe(0);
    const r = lab(['watch', '--once', '--prefix', P]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`packets per NIC in ${P}-server`);
    expect(r.stdout).toMatch(/to eth1's IP 172\.31\.0\.14\s+0\s+[1-9]\d*\s/);
    expect(r.stdout).toMatch(/from eth1's IP 172\.31\.0\.14\s+[1-9]\d*!\s+0/);
    expect(r.stdout).not.toContain('Ctrl-C');
  });

  it('verify --lang zh: Chinese table and reasons; the JSON keeps English reasons and adds reason_zh', () => {
    const json = `/tmp/${P}-result.json`;
    const r = lab(['verify', '--lang', 'zh', '--json', json, '--prefix', P]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('全部 8 项检查符合预期');
    expect(r.stdout).toContain('原因：唯一的默认路由走 eth0');
    const result = JSON.parse(readFileSync(json, 'utf8'));
    const reply = result.checks.find((c: { instance: string; check: string }) => c.instance === 'eth1' && c.check === 'reply-nic');
    expect(reply.reason).toBe("the only default route is via eth0, so replies from eth1's IP leave through eth0");
    expect(reply.reason_zh).toMatch(/^唯一的默认路由走 eth0/);
  });

  it('LANG=zh_CN picks Chinese without --lang', () => {
    const r = spawnSync('node', ['bin/eiplab.js', 'status', '--prefix', P], {
      encoding: 'utf8',
      env: { ...process.env, FORCE_COLOR: '0', LC_ALL: '', LC_MESSAGES: '', LANG: 'zh_CN.UTF-8' },
    });
    expect(r.stdout).toContain('已应用：scheme1 app=bound fix=none');
  });
});

describe('workshop commands without a lab', () => {
  it('exec, shell and watch say the lab is not up, in one line, exit 2', () => {
    // The prefix before `--`: after it, it would be the command's.
    for (const args of [['exec', 'server', '--prefix', 'eiplabw9', '--', 'true'], ['shell', 'server', '--prefix', 'eiplabw9'], ['watch', '--once', '--prefix', 'eiplabw9']]) {
      const r = lab(args);
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toBe('eiplab: no lab "eiplabw9" is up: run `npm run lab -- up` first');
    }
    expect(leftovers('eiplabw9')).toEqual([]);
  });

  it('run --step without a terminal runs straight through to the verdicts', () => {
    const r = lab(['run', 'scheme3', '--app', 'bound', '--fix', 'pbr', '--step', '--prefix', 'eiplabw3']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--step: stdin is not a terminal');
    expect(r.stdout).toContain('[server] Policy routing keyed on the bridge IPs');
    expect(r.stdout).toContain('all 8 checks as expected (8 pass, 0 fail)');
    expect(leftovers('eiplabw3')).toEqual([]);
  });
});
