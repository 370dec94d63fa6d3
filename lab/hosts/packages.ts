// The Debian packages the lab needs on the lab host, and why. The list is
// JSON so the Vagrantfile (Ruby) and the box builder read the same one.
import { readFileSync } from 'node:fs';

export const DEBIAN_PACKAGES: Record<string, string> = JSON.parse(
  readFileSync(new URL('./packages.json', import.meta.url), 'utf8'),
);
