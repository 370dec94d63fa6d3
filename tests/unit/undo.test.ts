// Undo beside the action: the derived undo of the usual add/insert forms,
// and every shipped scheme's steps can be taken back.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../lab/config/config.js';
import { PROFILES } from '../../lab/topology/profiles.js';
import { loadSchemes } from '../../lab/model/scheme-registry.js';
import type { Fix, SchemeContext } from '../../lab/model/scheme.js';
import { deriveUndo, NoUndoError, shellWords, undoPlan } from '../../lab/model/undo.js';

describe('deriveUndo', () => {
  it.each([
    ['ip rule add pref 1001 from 172.31.0.14 lookup 101', 'ip rule del pref 1001 from 172.31.0.14 lookup 101'],
    ['ip route add default via 172.31.0.1 dev eth1 table 101', 'ip route del default via 172.31.0.1 dev eth1 table 101'],
    ['ip -6 route append 2001:db8::/64 dev eth1', 'ip -6 route del 2001:db8::/64 dev eth1'],
    ['ip addr add 172.19.0.100/16 dev br-eip1', 'ip addr del 172.19.0.100/16 dev br-eip1'],
    ['ip address add 10.0.0.1/24 dev x', 'ip addr del 10.0.0.1/24 dev x'],
    ['ip link add br-eip1 type bridge', 'ip link del br-eip1'],
    ['ip link add name v0 type veth peer name v1', 'ip link del v0'],
    ['ip link add link eth1 name mv0 type macvlan', 'ip link del mv0'],
    ['ip link set br-eip1 up', 'ip link set br-eip1 down'],
    ['ip neigh add 172.31.0.9 lladdr 02:00:00:00:00:01 dev eth0', 'ip neigh del 172.31.0.9 lladdr 02:00:00:00:00:01 dev eth0'],
    ['iptables -t nat -I PREROUTING -d 172.31.0.8/32 ! -i br-eip1 -p tcp --dport 8090 -j DNAT --to-destination 172.19.0.100:8090',
      'iptables -t nat -D PREROUTING -d 172.31.0.8/32 ! -i br-eip1 -p tcp --dport 8090 -j DNAT --to-destination 172.19.0.100:8090'],
    ['iptables -t nat -I POSTROUTING 1 -s 172.19.0.100 -j SNAT --to-source 172.31.0.8', 'iptables -t nat -D POSTROUTING -s 172.19.0.100 -j SNAT --to-source 172.31.0.8'],
    ['iptables -A FORWARD -i eth1 -j ACCEPT', 'iptables -D FORWARD -i eth1 -j ACCEPT'],
    ['ip6tables -t mangle -A OUTPUT -j MARK --set-mark 1', 'ip6tables -t mangle -D OUTPUT -j MARK --set-mark 1'],
    ['iptables -t mangle -N EIP', 'iptables -t mangle -X EIP'],
    ["iptables -A INPUT -m comment --comment 'a b' -j ACCEPT", "iptables -D INPUT -m comment --comment 'a b' -j ACCEPT"],
    ['nft add table inet mine', 'nft delete table inet mine'],
    ['lab_daemon app-eth0 eiplab-app --addr 172.31.0.8:8090', 'lab_stop app-eth0'],
    ['ip rule add from {nic.ip} table {nic.table}', 'ip rule del from {nic.ip} table {nic.table}'],
  ])('%s', (command, undo) => {
    expect(deriveUndo(command)).toEqual([undo]);
  });

  it('a rule or chain in a table the scheme added goes with the table; elsewhere a rule needs an explicit undo', () => {
    const own = new Set<string>();
    expect(deriveUndo('nft add table ip t', own)).toEqual(['nft delete table ip t']);
    expect(deriveUndo("nft add chain ip t c '{ type nat hook postrouting priority 100 ; }'", own)).toEqual([]);
    expect(deriveUndo('nft add rule ip t c ip saddr 172.19.0.100 snat to 172.31.0.8', own)).toEqual([]);
    expect(() => deriveUndo('nft add rule inet other c counter', own)).toThrow(NoUndoError);
  });

  it('commands that leave nothing behind have nothing to undo', () => {
    for (const c of ['lab_wait_http app http://x/', 'curl -s http://192.0.2.10/', 'sleep 1', 'ip route show table all', 'true', 'docker() { x; }']) {
      expect(deriveUndo(c)).toEqual([]);
    }
  });

  it.each([
    'sysctl -w net.ipv4.ip_forward=1',
    'ip route replace default via 172.31.0.1',
    'iptables -t nat -F',
    'ip rule add from $(cat x) table 5',
    'ip rule add from 1.2.3.4 table 5; ip rule add from 1.2.3.5 table 6',
    'ip link set eth1 mtu 1400',
    'echo 1 > /proc/sys/net/ipv4/ip_forward',
    'ip -n other route add default via 1.2.3.4',
  ])('refuses to guess: %s', (command) => {
    expect(() => deriveUndo(command)).toThrow(NoUndoError);
  });

  it('splits words with quotes and keeps them', () => {
    expect(shellWords(`a 'b c' "d"e`)).toEqual(['a', "'b c'", '"d"e']);
    expect(shellWords('a | b')).toBeNull();
  });
});

describe('undoPlan', () => {
  it('undoes the last step first, each step last command first, then drops the iptables tables left empty', () => {
    const plan = undoPlan([
      { node: 'server', explain: 'a', commands: ['ip link add b0 type bridge', 'ip link set b0 up', 'ip addr add 10.9.0.1/24 dev b0'] },
      { node: 'server', explain: 'b', commands: ['iptables -t nat -A POSTROUTING -s 10.9.0.1 -j SNAT --to-source 172.31.0.8'] },
      { node: 'server', explain: 'c', commands: ['hostname x'], undo: ['hostname y'] },
    ]);
    expect(plan.map((s) => s.commands)).toEqual([
      ['hostname y'],
      ['iptables -t nat -D POSTROUTING -s 10.9.0.1 -j SNAT --to-source 172.31.0.8'],
      ['ip addr del 10.9.0.1/24 dev b0', 'ip link set b0 down', 'ip link del b0'],
      [expect.stringContaining('nft delete table ip nat')],
    ]);
  });

  it('every shipped scheme, in every variant, can be taken back', async () => {
    const cfg = defaultConfig('unit');
    for (const scheme of (await loadSchemes()).values()) {
      for (const app of scheme.apps)
        for (const fix of [null, ...(Object.keys(scheme.fixes) as Fix[])])
          for (const scenario of [null, ...Object.keys(scheme.scenarios ?? {})]) {
            const ctx: SchemeContext = { cfg, app, fix, profile: PROFILES[0], scenario };
            const steps = [...scheme.steps(ctx), ...(fix ? scheme.fixes[fix]!(ctx) : []), ...(scenario ? scheme.scenarios![scenario].steps(ctx) : [])];
            expect(() => undoPlan(steps), `${scheme.id} ${app} ${fix} ${scenario}`).not.toThrow();
            expect(undoPlan(steps).length).toBeGreaterThan(0);
          }
    }
  });
});
