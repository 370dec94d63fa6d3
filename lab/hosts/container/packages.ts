// The Debian packages baked into the lab-host image: what the lab calls on
// its lab host (lab/hosts/packages.ts), less the Go toolchain (the binaries are
// built on this machine and copied in), plus tini for a PID 1 that reaps.
import { DEBIAN_PACKAGES } from '../packages.js';

const BUILT_OUTSIDE = new Set(['golang-go']);

export const IMAGE_PACKAGES: string[] = [
  ...Object.keys(DEBIAN_PACKAGES).filter((p) => !BUILT_OUTSIDE.has(p)),
  'tini',
].sort();
