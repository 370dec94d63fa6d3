#!/usr/bin/env -S npx tsx
// Entry point of `npm run bench`; the bench itself is in lab/bench/.
import { benchMain } from '../lab/bench/main.js';

process.exitCode = await benchMain(process.argv.slice(2));
