// The matrix keeps a variant's lab from one profile to the next: the scheme
// stays applied and its instances run on, and only the profile changes; and
// a Docker scheme's daemon runs on into the next variant, reset to a fresh
// daemon's state. Their verdicts must be those of a full run per cell, in
// the variants where the profile decides the verdicts: scheme 1's connmark
// (replies fixed, the app's own connections not), bindtodevice (the bound
// device's on-link ARP, which a kept lab must not remember), and scheme 2
// after a dockerd restart, then without it: the plain cells show eth1's EIP
// only if the reset put Docker's MASQUERADE back below where the SNAT rules
// go, as a fresh daemon has it. And nothing may be left after the last cell.
import { afterAll, describe, expect, it } from 'vitest';
import { matrixCells, runMatrix } from '../../lab/run/matrix.js';
import { getScheme } from '../../lab/model/scheme-registry.js';
import type { RunResult } from '../../lab/model/results.js';
import type { Cell } from '../../lab/model/variant.js';
import { existsSync, readFileSync } from 'node:fs';
import { fixedDirs, labLeftovers } from '../helpers/docker.js';
import { check, measuredMap } from '../helpers/lab.js';
import { BIN_DIR } from '../../lab/go/build.js';
import { defaultConfig } from '../../lab/config/config.js';
import { localTarget } from '../../lab/hosts/local.js';
import { Lab } from '../../lab/run/lab.js';
import { silentReporter } from '../../lab/report/console.js';
import { t, type Text } from '../../lab/model/i18n.js';

const prefix = 'eiplabru';
/** What the lab said between the steps (a kept cell says so; a lab that could not forget says so too). */
const said: string[] = [];
const lab = new Lab(localTarget(BIN_DIR), defaultConfig(prefix), { ...silentReporter, info: (text: Text) => void said.push(t(text, 'en')) });
/** A second lab for the full runs, which need not be one after another (CI time). */
const second = new Lab(localTarget(BIN_DIR), defaultConfig(`${prefix}f`), silentReporter);
afterAll(async () => {
  await lab.down();
  await second.down();
});

const dockerdPid = () => (existsSync(`/run/${prefix}/docker/dockerd.pid`) ? readFileSync(`/run/${prefix}/docker/dockerd.pid`, 'utf8').trim() : null);

const variant = (scheme: string, fix: Cell['fix'], scenario: string | null = null) => ({ scheme, fix, scenario });

/** What a cell measured: every verdict, who the echo server saw for each instance, and where replies and SYNs left. */
const measured = (r: RunResult) => ({
  cell: `${r.scheme} ${r.fix} ${r.scenario} ${r.profile}`,
  verdicts: measuredMap(r),
  ...Object.fromEntries(
    ['eth0', 'eth1'].map((nic) => [
      nic,
      {
        seen: check(r, nic, 'egress-ip').evidence.echoSaw,
        repliesOut: Object.entries(check(r, nic, 'reply-nic').evidence.packetsOut as Record<string, number>).filter(([, n]) => n > 0).map(([via]) => via),
        synsOut: Object.entries(check(r, nic, 'egress-nic').evidence.synsOut as Record<string, number>).filter(([, n]) => n > 0).map(([via]) => via),
      },
    ]),
  ),
});

describe('a lab kept from cell to cell', () => {
  it("measures each variant's cells as a full run per cell does, and leaves nothing", async () => {
    const dirs = fixedDirs();
    const cells: Cell[] = [];
    for (const v of [variant('scheme1', 'connmark'), variant('bindtodevice', null), variant('scheme2', null, 'dockerd-restart'), variant('scheme2', null)]) {
      const scheme = await getScheme(v.scheme);
      cells.push(...matrixCells([scheme]).filter((c) => c.fix === v.fix && c.scenario === v.scenario));
    }
    // Then a profile change and a fix, on the daemon the plain cells kept.
    cells.push({ scheme: 'scheme2', app: 'plain', fix: 'pbr', scenario: null, profile: 'strict' });
    expect(cells).toHaveLength(13);
    const fresh = await runMatrix([lab, second], cells, () => {}, undefined, false);
    said.length = 0;
    const pids: Array<string | null> = [];
    const kept = await runMatrix([lab], cells, (cell) => void (cell.scheme === 'scheme2' && pids.push(dockerdPid())));
    // The daemon the restart started serves every Docker cell after it: the kept ones, and the next variant's.
    expect(pids).toHaveLength(7);
    expect(pids[0]).toBeTruthy();
    expect(new Set(pids)).toEqual(new Set([pids[0]]));
    // Each variant's second and third cells were kept, and the lab forgot the last cell's traffic each time.
    expect(said.filter((l) => l.includes('stays applied from the last cell'))).toHaveLength(8);
    expect(said.filter((l) => l.includes('could not forget'))).toEqual([]);
    expect(kept.map(measured)).toEqual(fresh.map(measured));
    expect(kept.every((r) => r.ok)).toBe(true);
    // The profiles really differ in what they measure: a kept lab that ignored the change would show it.
    expect(new Set(kept.slice(0, 3).map((r) => JSON.stringify(measuredMap(r)))).size).toBeGreaterThan(1);
    // The report of a kept cell still lists its profile's steps and the scheme's.
    expect(kept[1].steps!.some((s) => s.commands.some((c) => c.includes('rp_filter=2')))).toBe(true);
    expect(kept[1].steps!.length).toBe(fresh[1].steps!.length);
    expect(labLeftovers(prefix)).toEqual([]);
    expect(labLeftovers(`${prefix}f`)).toEqual([]);
    expect(fixedDirs()).toEqual(dirs);
  }, 180_000);
});
