// Scheme files: a bad file is one line naming file:line and the field, before
// anything is built; a good one becomes a scheme whose steps, undo and facts
// read as the file says.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../lab/config/config.js';
import { expectedChecks } from '../../lab/model/expected.js';
import { schemeFromFile } from '../../lab/model/scheme-file/build.js';
import { readSchemeFile, SchemeFileError } from '../../lab/model/scheme-file/read.js';
import type { SchemeContext } from '../../lab/model/scheme.js';
import { undoPlan } from '../../lab/model/undo.js';

const GOOD = `id: pbr-only
title: Policy routing per NIC, bound app
apps: [bound]
listen: "{nic.ip}:{app.port}"
steps:
  - node: server
    explain: One routing table per NIC, chosen by source address.
    for_each: nic
    run:
      - ip route add default via {vpc.gateway} dev {nic.name} table {nic.table}
      - ip rule add from {nic.ip} table {nic.table}
expect:
  others: {reply: own, egress: own, seen: own}
`;

/** The first error a file gives, or null. */
function errorOf(source: string): string | null {
  try {
    readSchemeFile('my.yaml', source);
    return null;
  } catch (e) {
    if (e instanceof SchemeFileError) return e.message;
    throw e;
  }
}

const swap = (from: string, to: string) => GOOD.replace(from, to);

describe('a bad scheme file: one line, file:line and the field', () => {
  it.each([
    ['bad YAML', swap('apps: [bound]', 'apps: [bound'), /^my\.yaml:\d+: not valid YAML/],
    ['an unknown key at the top', `${GOOD}colour: blue\n`, /^my\.yaml:14: colour: unknown key: use one of id, title/],
    ['an unknown key in a step', swap('    for_each: nic', '    for_each: nic\n    when: always'), /^my\.yaml:9: steps\[0\]\.when: unknown key/],
    ['a missing field', swap('listen: "{nic.ip}:{app.port}"\n', ''), /^my\.yaml:1: listen: missing field "listen"/],
    ['a step without explain', swap('    explain: One routing table per NIC, chosen by source address.\n', ''), /^my\.yaml:6: steps\[0\]: missing field "explain"/],
    ['an unknown template variable', swap('{nic.table}\n      - ip rule', '{nic.tabel}\n      - ip rule'), /^my\.yaml:10: steps\[0\]\.run\[0\]: unknown template variable \{nic\.tabel\}/],
    ['a NIC variable outside for_each', swap('    for_each: nic\n', ''), /^my\.yaml:9: steps\[0\]\.run\[0\]: unknown template variable \{nic\.name\}.*need for_each: nic/],
    ['an unknown node', swap('node: server', 'node: router'), /^my\.yaml:6: steps\[0\]\.node: unknown value "router": use one of server, edge, inet/],
    ['an unknown app', swap('apps: [bound]', 'apps: [bound, fast]'), /^my\.yaml:3: apps\[1\]: unknown value "fast": use one of plain, bound/],
    ['an unknown fact value', swap('reply: own', 'reply: mine'), /^my\.yaml:13: expect\.others\.reply: unknown value "mine": use one of own, default/],
    ['an unknown fact', swap('reply: own', 'replies: own'), /^my\.yaml:13: expect\.others\.replies: unknown key: use one of reply, egress, seen/],
    ['a partial expectation', swap('{reply: own, egress: own, seen: own}', '{reply: own, egress: own}'), /^my\.yaml:12: expect: the app bound states reply, egress but not seen/],
    ['a command with no undo', swap('      - ip rule add from {nic.ip} table {nic.table}', '      - sysctl -w net.ipv4.ip_forward=1'), /^my\.yaml:11: steps\[0\]\.run\[1\]: no undo can be derived for "sysctl -w net\.ipv4\.ip_forward=1": give the step an undo list/],
    ['a list where a string belongs', swap('title: Policy routing per NIC, bound app', 'title: [a, b]'), /^my\.yaml:2: title: must be a non-empty string/],
    ['steps that are not a list', `${GOOD.slice(0, GOOD.indexOf('steps:'))}steps: 3\n${GOOD.slice(GOOD.indexOf('expect:'))}`, /^my\.yaml:5: steps: must be a list/],
    ['a bad id', swap('id: pbr-only', 'id: PBR only'), /^my\.yaml:1: id: "PBR only" is not a scheme name/],
    ['a duplicate key', swap('apps: [bound]', 'apps: [bound]\napps: [plain]'), /^my\.yaml:4: not valid YAML: Map keys must be unique/],
    ['a fix that is neither built in nor has steps', `${GOOD}fixes:\n  magic: {}\n`, /^my\.yaml:15: fixes\.magic: missing field "steps" \(only pbr is built in\)/],
    ['an app override for an app the scheme does not run', swap('  others: {reply: own', '  apps: {plain: {others: {seen: own}}}\n  others: {reply: own'), /^my\.yaml:13: expect\.apps\.plain: the scheme does not run the plain app/],
    ['an empty file', '', /^my\.yaml:1: file: is empty/],
  ])('%s', (_, source, message) => {
    const error = errorOf(source);
    expect(error).toMatch(message);
    expect(error).not.toContain('\n');
  });

  it('the good file has none', () => {
    expect(errorOf(GOOD)).toBeNull();
  });
});

describe('a good scheme file', () => {
  const scheme = schemeFromFile(readSchemeFile('my.yaml', GOOD), '/x/my.yaml');
  const cfg = defaultConfig('unit');
  const ctx: SchemeContext = { cfg, app: 'bound', fix: null, profile: 'cloud', scenario: null };

  it('fills the templates for every NIC, then starts the app on its listen address', () => {
    const steps = scheme.steps(ctx);
    expect(steps.map((s) => s.commands[0])).toEqual([
      'ip route add default via 172.31.0.1 dev eth0 table 100',
      'ip route add default via 172.31.0.1 dev eth1 table 101',
      expect.stringMatching(/^lab_daemon app-eth0 eiplab-app --addr 172\.31\.0\.8:8090 .*--bind-source$/),
      expect.stringMatching(/^lab_daemon app-eth1 eiplab-app --addr 172\.31\.0\.14:8090 /),
    ]);
    expect(scheme.instances(ctx).map((i) => i.probeUrl)).toEqual(['http://172.31.0.8:8090/', 'http://172.31.0.14:8090/']);
  });

  it('derives the undo: the apps stopped first, then the rules and routes deleted', () => {
    expect(undoPlan(scheme.steps(ctx)).flatMap((s) => s.commands)).toEqual([
      'lab_stop app-eth1',
      'lab_stop app-eth0',
      'ip rule del from 172.31.0.14 table 101',
      'ip route del default via 172.31.0.1 dev eth1 table 101',
      'ip rule del from 172.31.0.8 table 100',
      'ip route del default via 172.31.0.1 dev eth0 table 100',
    ]);
  });

  it('turns its facts into verdicts, with a why for facts stated without one', () => {
    const eth1 = expectedChecks(scheme, ctx, 'eth1');
    expect(Object.values(eth1).map((e) => e.expect)).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(eth1['egress-nic'].reason.en).toBe("the scheme file states that eth1's instance calls out through eth1");
  });

  it('without expect it is measured only: no expected verdict anywhere', () => {
    const bare = schemeFromFile(readSchemeFile('bare.yaml', GOOD.replace(/expect:\n.*\n$/, '')), '/x/bare.yaml');
    expect(bare.facts(ctx)).toBeNull();
    expect(Object.values(expectedChecks(bare, ctx, 'eth1')).map((e) => e.expect)).toEqual([null, null, null, null]);
  });

  it('the built-in pbr by name, keyed where the file says; overrides per app, over the base', () => {
    const file = readSchemeFile('f.yaml', `${GOOD.replace('apps: [bound]', 'apps: [plain, bound]')}  apps:
    plain:
      others: {seen: default}
fixes:
  pbr:
    from: "{nic.ip}"
    expect:
      apps:
        plain: {others: {egress: default}}
`);
    const s = schemeFromFile(file, '/x/f.yaml');
    expect(s.fixes.pbr!({ ...ctx, fix: 'pbr' })[0].commands).toContain('ip rule add pref 1011 from 172.31.0.14 lookup 101');
    const sides = (app: string, fix: string | null) => {
      const f = s.facts({ ...ctx, app: app as 'plain', fix })!.others;
      return [f.reply.is, f.egress.is, f.seen.is];
    };
    expect(sides('bound', null)).toEqual(['own', 'own', 'own']);
    expect(sides('plain', null)).toEqual(['own', 'own', 'default']);
    expect(sides('plain', 'pbr')).toEqual(['own', 'default', 'default']);
  });
});
