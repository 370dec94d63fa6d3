// The expected verdicts of every shipped scheme, variant and profile, as the
// matrix shows them (per instance: ingress-nic reply-nic egress-ip egress-nic;
// + pass, - fail). Taken from the per-scheme rules before expectations were
// derived from facts: a change in how expectations are made must keep them.
// The +connmark rows are what the connmark fix measured by hand, before it was written.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../lab/config/config.js';
import { expectedVerdict } from '../../lab/model/expected.js';
import { CHECKS } from '../../lab/model/scheme.js';
import { loadSchemes } from '../../lab/model/scheme-registry.js';
import { variantsOf } from '../../lab/run/matrix.js';
import { formatVariant } from '../../lab/model/variant.js';
import { PROFILES } from '../../lab/topology/profiles.js';

//                                       lenient     cloud       strict
//                                       eth0 eth1   eth0 eth1   eth0 eth1
const GOLDEN: Record<string, string> = {
  'scheme1 bound':                       '++++ +-+-  ++++ ----  ++++ ----',
  'scheme1 bound +pbr':                  '++++ ++++  ++++ ++++  ++++ ++++',
  'scheme1 bound +connmark':             '++++ +++-  ++++ ++--  ++++ ++--',
  'scheme2 plain':                       '++++ +-+-  ++++ ----  ++++ ----',
  'scheme2 plain +pbr':                  '++++ ++++  ++++ ++++  ++++ ++++',
  'scheme2 plain +connmark':             '++++ +++-  ++++ ++--  ++++ ++--',
  'scheme2 plain @dockerd-restart':      '++++ +---  ++++ ----  ++++ ----',
  'scheme2 plain +pbr @dockerd-restart': '++++ ++++  ++++ ++++  ++++ ++++',
  'scheme2 plain +connmark @dockerd-restart': '++++ ++--  ++++ ++--  ++++ ++--',
  'scheme3 plain':                       '++++ +---  ++++ ----  ++++ ----',
  'scheme3 plain +pbr':                  '++++ ++--  ++++ ++--  ++++ ++--',
  'scheme3 plain +connmark':             '++++ ++--  ++++ ++--  ++++ ++--',
  'scheme3 bound':                       '++++ +-+-  ++++ ----  ++++ ----',
  'scheme3 bound +pbr':                  '++++ ++++  ++++ ++++  ++++ ++++',
  'scheme3 bound +connmark':             '++++ +++-  ++++ ++--  ++++ ++--',
  // Beyond the post (docs/beyond-the-post.md), as the matrix measured them.
  'bindtodevice bindtodevice':           '++++ +--+  ++++ ---+  ++++ ---+',
  'bindtodevice bindtodevice +pbr':      '++++ ++++  ++++ ++++  ++++ ++++',
  'bindtodevice bindtodevice +metric':   '++++ +-++  ++++ --++  ++++ ---+',
  'bindtodevice bindtodevice +connmark': '++++ ++-+  ++++ ++-+  ++++ ++-+',
  'docker-host-ipv4 plain':              '++++ +-+-  ++++ ----  ++++ ----',
  'docker-host-ipv4 plain +pbr':         '++++ ++++  ++++ ++++  ++++ ++++',
  'docker-host-ipv4 plain +connmark':    '++++ +++-  ++++ ++--  ++++ ++--',
  'docker-host-ipv4 plain @dockerd-restart': '++++ +-+-  ++++ ----  ++++ ----',
  'docker-host-ipv4 plain +pbr @dockerd-restart': '++++ ++++  ++++ ++++  ++++ ++++',
  'docker-host-ipv4 plain +connmark @dockerd-restart': '++++ +++-  ++++ ++--  ++++ ++--',
};

const cfg = defaultConfig('unit');
const schemes = [...(await loadSchemes()).values()].filter((s) => ['scheme1', 'scheme2', 'scheme3', 'bindtodevice', 'docker-host-ipv4'].includes(s.id));

describe('golden expected verdicts (the matrix of the shipped schemes)', () => {
  it('covers every variant of the shipped schemes, and only those', () => {
    expect(schemes.flatMap(variantsOf).map((v) => formatVariant(v, 'label')).sort()).toEqual(Object.keys(GOLDEN).sort());
  });

  for (const scheme of schemes)
    for (const v of variantsOf(scheme))
      it(formatVariant(v, 'label'), () => {
        const row = PROFILES.map((profile) =>
          cfg.nics
            .map((nic) =>
              CHECKS.map((check) => {
                const ctx = { cfg, app: v.app, fix: v.fix, profile, scenario: v.scenario };
                return expectedVerdict(scheme, ctx, nic.name, check).expect === 'pass' ? '+' : '-';
              }).join(''),
            )
            .join(' '),
        ).join('  ');
        expect(row).toBe(GOLDEN[formatVariant(v, 'label')]);
      });
});
