#!/usr/bin/env -S npx tsx
// Entry point of `eiplab` and `npm run lab -- <command>`; the lab itself is in lab/.
// --help is answered before the CLI is loaded: it is the one command that needs none of it.
import { USAGE, wantsHelp } from '../lab/cli/usage.js';

const argv = process.argv.slice(2);
if (wantsHelp(argv)) {
  process.stdout.write(`${USAGE}\n`);
} else {
  const { main } = await import('../lab/cli/main.js');
  process.exitCode = await main(argv);
}
