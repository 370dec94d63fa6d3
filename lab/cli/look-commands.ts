// The commands that look inside a lab that is up without changing it:
// they take no lock and leave Ctrl-C to the program being run.
import type { Lab } from '../run/lab.js';
import { exec, shell } from './node-commands.js';
import type { Command, Options } from './options.js';
import { watch } from './watch-command.js';

export const LOOK_COMMANDS: ReadonlySet<Command> = new Set(['shell', 'exec', 'watch']);

/** Returns the exit code: the program's own for shell and exec. */
export async function lookAround(opts: Options, lab: Lab): Promise<number> {
  switch (opts.command) {
    case 'shell':
      return shell(lab, opts.node!, opts.lang);
    case 'exec':
      return exec(lab, opts.node!, opts.argv!);
    default:
      return watch(lab, { once: opts.once, lang: opts.lang });
  }
}
