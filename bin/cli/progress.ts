/**
 * Progress bars for long work (reading many files, training), on cli-progress. A bar is drawn
 * on stderr only when stderr is a terminal: piped or redirected output stays free of control
 * characters, and stdout (the data) is never touched.
 */
import cliProgress from 'cli-progress';

/** A running progress display; `stop()` must be called (also on errors) to restore the cursor. */
export interface Progress {
  /** `done` units of `total` (the total may change as the work learns its size). */
  update(done: number, total?: number): void;
  stop(): void;
}

const SILENT: Progress = { update() {}, stop() {} };

/**
 * Starts a bar `label [====    ] done/total` on `stream` (default stderr), or a silent
 * no-op when the stream is not a terminal.
 */
export function startProgress(label: string, total: number, stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr): Progress {
  if (!stream.isTTY) return SILENT;
  const bar = new cliProgress.SingleBar(
    { stream, format: `${label} [{bar}] {value}/{total}`, hideCursor: true, clearOnComplete: true, barsize: 30 },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    update(done, newTotal) {
      if (newTotal !== undefined) bar.setTotal(newTotal);
      bar.update(done);
    },
    stop() {
      bar.stop();
    },
  };
}

/** Runs `work` with a progress bar that is stopped however the work ends. */
export async function withProgress<T>(label: string, total: number, work: (progress: Progress) => Promise<T> | T): Promise<T> {
  const progress = startProgress(label, total);
  try {
    return await work(progress);
  } finally {
    progress.stop();
  }
}
