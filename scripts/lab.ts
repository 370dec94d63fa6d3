#!/usr/bin/env -S npx tsx
// Entry point of `npm run lab -- <command>`; the lab itself is in lab/.
import { main } from '../lab/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
