// SKIP on a real lab: a cell the lab host cannot run is skipped with its
// reason, and the other cells of the matrix still run and are measured.
import { afterAll, describe, expect, it } from 'vitest';
import { BIN_DIR } from '../../lab/go/build.js';
import { defaultConfig } from '../../lab/config/config.js';
import { localTarget } from '../../lab/hosts/local.js';
import type { Target } from '../../lab/hosts/host.js';
import { Lab } from '../../lab/run/lab.js';
import { runMatrix } from '../../lab/run/matrix.js';
import { silentReporter } from '../../lab/report/console.js';

/** The local lab host as it is, except that `dockerd` cannot be found on it (as without docker.io). */
function withoutDockerd(target: Target): Target {
  return {
    ...target,
    run: (script, o) => target.run(script.replace(/command -v (\$t|dockerd)\b/g, (m, t) => `[ ${t} != dockerd ] && ${m}`), o),
  };
}

const lab = new Lab(withoutDockerd(localTarget(BIN_DIR)), defaultConfig('eiplabsk'), silentReporter);
afterAll(() => lab.down());

describe('skipped cells', () => {
  it("a missing tool of one scheme skips that scheme's cells, with the package to install, and the others still run", async () => {
    const cells = [
      { scheme: 'scheme2', app: 'plain' as const, fix: null, scenario: null, profile: 'lenient' as const },
      { scheme: 'scheme1', app: 'bound' as const, fix: null, scenario: null, profile: 'lenient' as const },
      { scheme: 'docker-host-ipv4', app: 'plain' as const, fix: 'pbr', scenario: null, profile: 'cloud' as const },
      { scheme: 'bindtodevice', app: 'bindtodevice' as const, fix: 'metric', scenario: null, profile: 'lenient' as const },
    ];
    const [docker, bound, hostIpv4, device] = await runMatrix([lab], cells, () => {});
    expect(docker).toMatchObject({ scheme: 'scheme2', ok: true, checks: [] });
    expect(docker.skipped).toBe('missing tool dockerd: run `npm run setup` or `apt-get install docker.io`');
    expect(docker.skipped_zh).toContain('docker.io');
    expect(bound.skipped).toBeUndefined();
    expect(bound.checks).toHaveLength(8);
    expect(bound.ok).toBe(true);
    // Both Docker schemes skip; the other schemes beyond the post still run.
    expect(hostIpv4).toMatchObject({ scheme: 'docker-host-ipv4', ok: true, checks: [], skipped: docker.skipped });
    expect(device.skipped).toBeUndefined();
    expect(device.checks).toHaveLength(8);
    expect(device.ok).toBe(true);
  });
});
