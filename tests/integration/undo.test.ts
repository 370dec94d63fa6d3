// Undo beside the action: applying a scheme and taking it back (its steps'
// undos, last step first) leaves the server namespace exactly as `up` made
// it, for every shipped scheme with and without its fix.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { names } from '../../lab/config/config.js';
import { namespaceSnapshot } from '../helpers/netns-snapshot.js';
import { testLab } from '../helpers/lab.js';

const lab = testLab('eiplabun');
const server = names(lab.cfg).ns.server;
let before: Record<string, string>;

beforeAll(async () => {
  await lab.up('lenient');
  before = namespaceSnapshot(server);
});
afterAll(() => lab.down());

const variants = [
  { scheme: 'scheme1', app: 'bound', fix: null },
  { scheme: 'scheme1', app: 'bound', fix: 'pbr' },
  { scheme: 'scheme2', app: 'plain', fix: null },
  { scheme: 'scheme2', app: 'plain', fix: 'pbr', scenario: 'dockerd-restart' },
  { scheme: 'scheme3', app: 'plain', fix: null },
  { scheme: 'scheme3', app: 'plain', fix: 'pbr' },
  { scheme: 'scheme3', app: 'bound', fix: 'pbr' },
  { scheme: 'scheme3', app: 'plain', fix: 'connmark' },
  { scheme: 'bindtodevice', app: 'bindtodevice', fix: 'metric' },
  { scheme: 'docker-host-ipv4', app: 'plain', fix: 'pbr', scenario: 'dockerd-restart' },
] as const;

describe('a scheme taken back leaves the server as up made it', () => {
  for (const v of variants) {
    it(`${v.scheme} ${v.app}${v.fix ? ` +${v.fix}` : ''}${'scenario' in v ? ` @${v.scenario}` : ''}`, async () => {
      await lab.apply(v.scheme, v);
      const applied = namespaceSnapshot(server);
      // The scheme did change the server (else the comparison below proves nothing).
      expect(applied).not.toEqual(before);
      await lab.unapply();
      expect(namespaceSnapshot(server)).toEqual(before);
    });
  }
});
