import type { CliIo } from '../io';

export interface Progress {
  /** One more item done. */
  tick(): void;
  /** Replace the bar with `summary` (nothing when the bar is off). */
  done(summary: string): void;
}

const WIDTH = 30;
const MIN_INTERVAL_MS = 100;
/** Cursor up one line and erase it: each redraw replaces the previous bar (io.err always ends lines). */
const REDRAW = '\u001b[1A\u001b[2K';

export const NO_PROGRESS: Progress = { tick: () => {}, done: () => {} };

/** A progress bar on stderr; only when stderr is a terminal and the output is not for machines. */
export function createProgress(
  io: CliIo,
  total: number,
  options: { readonly enabled: boolean; readonly label: string; readonly clock?: () => number },
): Progress {
  if (!options.enabled || !io.isTTY || total === 0) return NO_PROGRESS;
  const clock = options.clock ?? Date.now;
  let count = 0;
  let drawn = false;
  let lastDraw = 0;
  const draw = (force: boolean): void => {
    const now = clock();
    if (!force && now - lastDraw < MIN_INTERVAL_MS) return;
    lastDraw = now;
    const filled = Math.round((count / total) * WIDTH);
    io.err(
      `${drawn ? REDRAW : ''}[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${count}/${total} ${options.label}`,
    );
    drawn = true;
  };
  draw(true);
  return {
    tick: () => {
      count++;
      draw(count === total);
    },
    done: (summary) => io.err(`${drawn ? REDRAW : ''}${summary}`),
  };
}
