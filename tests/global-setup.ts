// Builds the Go binaries once before any test runs (a no-op when they are current).
import { t } from '../lab/model/i18n.js';
import { buildGo } from '../lab/go/build.js';

export default async function setup(): Promise<void> {
  await buildGo((line) => console.log(t(line, 'en')));
}
