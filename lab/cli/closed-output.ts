// A reader that goes away (`eiplab run scheme1 | head -1`) closes standard
// output under the CLI. Writing to it then fails with EPIPE, which would kill
// the process in the middle of a run and leave the lab up. Instead the output
// is dropped from then on, the command goes on to its teardown, and the exit
// code says the output was not all delivered.
import type { Writable } from 'node:stream';

export interface OutputWatch {
  /** The reader went away: something the command printed was not delivered. */
  closed(): boolean;
}

export function watchClosedOutput(stream: Writable = process.stdout): OutputWatch {
  let closed = false;
  stream.on('error', (e: NodeJS.ErrnoException) => {
    // Later writes to the broken stream fail as writes to a destroyed one: the same reader gone.
    if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') {
      closed = true;
      return;
    }
    throw e;
  });
  return { closed: () => closed };
}
