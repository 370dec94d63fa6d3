// `npm run lab -- watch`: the server's per-NIC counters, redrawn about once
// a second until Ctrl-C (which stops watching and leaves the lab alone).
// `--once` prints one snapshot, for tests and scripts.
import { chalk } from 'zx/core';
import { t, type Lang } from '../model/i18n.js';
import type { Lab } from '../run/lab.js';
import { say } from '../report/phrases.js';
import { readSnapshot, renderSnapshot, type Snapshot } from './watch.js';

const REFRESH_MS = 1000;

export async function watch(lab: Lab, o: { once: boolean; lang: Lang }, write = (s: string) => process.stdout.write(s)): Promise<number> {
  const first = await readSnapshot(lab.target, lab.cfg);
  if (o.once) {
    write(renderSnapshot(lab.cfg, first, null, o.lang));
    return 0;
  }
  const tty = Boolean(process.stdout.isTTY);
  let stopped = false;
  let wake = () => {};
  const stop = () => ((stopped = true), wake());
  process.on('SIGINT', stop).on('SIGTERM', stop);
  try {
    if (tty) write('\x1b[?25l\x1b[2J'); // hide the cursor, clear once
    let prev: Snapshot | null = null;
    for (let now = first; !stopped; ) {
      const text = `${renderSnapshot(lab.cfg, now, prev, o.lang)}${chalk.dim(`  ${t(say.watchHint(), o.lang)}`)}\n`;
      // On a terminal, redraw in place (each line cleared to its end); elsewhere, one snapshot after another.
      write(tty ? `\x1b[H${text.replace(/\n/g, '\x1b[K\n')}\x1b[J` : `${text}\n`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, REFRESH_MS);
        wake = () => (clearTimeout(timer), resolve());
      });
      if (stopped) break;
      prev = now;
      now = await readSnapshot(lab.target, lab.cfg);
    }
  } finally {
    process.off('SIGINT', stop).off('SIGTERM', stop);
    if (tty) write('\x1b[?25h');
  }
  return 0;
}
