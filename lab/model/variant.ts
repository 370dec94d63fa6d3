// A variant is what one run of a scheme is made of: the scheme, the app, the
// fix and the scenario; a cell adds the profile. This is its one type and its
// one formatter, so the matrix, reports, state and expectations write it alike.
import type { AppVariant } from '../schemes/blocks/app.js';
import type { Profile } from '../topology/profiles.js';
import type { Fix } from './scheme.js';

export interface Variant {
  scheme: string;
  app: AppVariant;
  fix: Fix | null;
  scenario: string | null;
}

export interface Cell extends Variant {
  profile: Profile;
}

/** Any part may be missing (a scheme context has no scheme id, a variant no profile); missing parts are left out. */
export type VariantParts = Partial<Omit<Cell, 'scenario'>> & { scenario?: string | null };

export type VariantStyle =
  /** "scheme1 bound +pbr @dockerd-restart": what people read in tables and lines (the profile is the caller's to add). */
  | 'label'
  /** "scheme1 app=bound fix=none scenario=dockerd-restart profile=cloud": status and the apply line. */
  | 'fields'
  /** ["scheme1", "bound", "nofix", "dockerd-restart", "cloud"]: the words ids and class names are made of, joined by the caller. */
  | 'words';

export function formatVariant(v: VariantParts, style: 'words'): string[];
export function formatVariant(v: VariantParts, style: 'label' | 'fields'): string;
export function formatVariant(v: VariantParts, style: VariantStyle): string | string[] {
  const has = <K extends keyof VariantParts>(k: K) => k in v && v[k] !== undefined;
  const parts: [string, string][] = [];
  if (has('scheme')) parts.push(['scheme', v.scheme!]);
  if (has('app')) parts.push(['app', v.app!]);
  if (has('fix')) parts.push(['fix', v.fix ?? '']);
  if (v.scenario) parts.push(['scenario', v.scenario]);
  if (has('profile')) parts.push(['profile', v.profile!]);
  switch (style) {
    case 'label':
      return parts
        .filter(([k, value]) => value && k !== 'profile')
        .map(([k, value]) => (k === 'fix' ? `+${value}` : k === 'scenario' ? `@${value}` : value))
        .join(' ');
    case 'fields':
      return parts.map(([k, value]) => (k === 'scheme' ? value : `${k}=${value || 'none'}`)).join(' ');
    case 'words':
      return parts.map(([k, value]) => (k === 'fix' ? value || 'nofix' : value));
  }
}

export function sameVariant(a: Variant, b: Variant): boolean {
  return a.scheme === b.scheme && a.app === b.app && a.fix === b.fix && a.scenario === b.scenario;
}

/** The variant of a result, without its profile and outcome. */
export function variantOf(v: Variant): Variant {
  return { scheme: v.scheme, app: v.app, fix: v.fix, scenario: v.scenario };
}
