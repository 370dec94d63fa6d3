// The one formatter of a variant: every place that names a run writes it the same way.
import { describe, expect, it } from 'vitest';
import { formatVariant, sameVariant } from '../../lab/model/variant.js';

const plain = { scheme: 'scheme2', app: 'plain', fix: null, scenario: null } as const;
const full = { scheme: 'scheme2', app: 'plain', fix: 'pbr', scenario: 'dockerd-restart', profile: 'cloud' } as const;

describe('formatVariant', () => {
  it('labels a variant as the matrix lists it, without its profile', () => {
    expect(formatVariant(plain, 'label')).toBe('scheme2 plain');
    expect(formatVariant(full, 'label')).toBe('scheme2 plain +pbr @dockerd-restart');
  });

  it('writes fields as status and the apply line show them, leaving out what the object lacks', () => {
    expect(formatVariant(plain, 'fields')).toBe('scheme2 app=plain fix=none');
    expect(formatVariant(full, 'fields')).toBe('scheme2 app=plain fix=pbr scenario=dockerd-restart profile=cloud');
    expect(formatVariant({ app: 'bound', fix: null, scenario: null, profile: 'lenient' }, 'fields')).toBe('app=bound fix=none profile=lenient');
  });

  it('gives the words ids are made of, with "nofix" for no fix', () => {
    expect(formatVariant({ ...plain, profile: 'strict' }, 'words')).toEqual(['scheme2', 'plain', 'nofix', 'strict']);
    expect(formatVariant(full, 'words')).toEqual(['scheme2', 'plain', 'pbr', 'dockerd-restart', 'cloud']);
  });

  it('compares variants regardless of profile', () => {
    expect(sameVariant(full, { ...full })).toBe(true);
    expect(sameVariant(full, { ...full, scenario: null })).toBe(false);
  });
});
