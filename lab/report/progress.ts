// A live line for long steps: on a terminal, the line under the cursor is
// redrawn with a spinner and the elapsed time until the step ends. Logs and
// CI get nothing extra (their lines appear when the step ends), so output
// that is piped stays one line per step.

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface LiveLine {
  /** Stops redrawing and clears what it drew, leaving the cursor where the line began. */
  stop(): void;
}

/** Whether this process writes to a terminal a person watches (not CI, not a pipe). */
export function isLive(stream: { isTTY?: boolean } = process.stdout): boolean {
  return Boolean(stream.isTTY) && !process.env.CI;
}

/**
 * Redraws `prefix + spinner + elapsed` every `everyMs` once `afterMs` has
 * passed (short steps never flicker). `prefix` is what is already on the
 * line; it is rewritten each time so the line survives a resize.
 */
export function liveLine(
  write: (s: string) => void,
  prefix: string,
  /** clear: the line was empty before, so stopping erases it whole (the prefix too). */
  o: { afterMs?: number; everyMs?: number; clear?: boolean } = {},
): LiveLine {
  const t0 = performance.now();
  let frame = 0;
  let drawn = false;
  const draw = () => {
    const s = ((performance.now() - t0) / 1000).toFixed(1);
    write(`\r\x1b[2K${prefix}${FRAMES[frame++ % FRAMES.length]} ${s} s`);
    drawn = true;
  };
  let timer: NodeJS.Timeout | undefined;
  const start = setTimeout(() => {
    draw();
    timer = setInterval(draw, o.everyMs ?? 100);
    timer.unref();
  }, o.afterMs ?? 600);
  start.unref();
  return {
    stop() {
      clearTimeout(start);
      if (timer) clearInterval(timer);
      if (drawn) write(`\r\x1b[2K${o.clear ? '' : prefix}`);
      drawn = false;
      timer = undefined;
    },
  };
}
