/**
 * Compaction inside the local stack (`npm start`): the compaction handler runs as soon as an
 * ingest round has settled (records were delivered since the last run and none arrived during
 * the last check), and every `intervalMs` in any case — so new bars are compacted within seconds
 * of their ingest, within one interval under a steady trickle, and staging objects written
 * without ingest (`riskfn lake release`) within one interval too. A run with nothing staged
 * costs one LIST.
 * In AWS the same handler runs on a schedule (docs/data-lake.md, "Compaction").
 * Runs never overlap here (they could, safely, in AWS).
 */

/** How often the loop looks at the poller (ms). */
const COMPACTION_CHECK_MS = 2_000;
/** Longest wait between runs (ms); 30 s keeps new data within 60 s of compaction. */
const COMPACTION_INTERVAL_MS = 30_000;

export interface CompactionLoopOptions {
  /** Runs one compaction (e.g. the handler with input `{}`); a rejection is reported to onError and the loop goes on. */
  compact: () => Promise<unknown>;
  /** Records delivered to ingest so far (a counter that only grows), e.g. the poller's `recordsDelivered`. */
  delivered: () => number;
  checkMs?: number;
  intervalMs?: number;
  onError?: (err: unknown) => void;
}

export interface CompactionLoop {
  /** Runs a compaction now (after the one in flight) and resolves when it is done. */
  runNow(): Promise<void>;
  /** Stops the timer and waits for the run in flight. */
  stop(): Promise<void>;
  /** Completed runs so far. */
  runs(): number;
}

export function startCompactionLoop(opts: CompactionLoopOptions): CompactionLoop {
  const checkMs = opts.checkMs ?? COMPACTION_CHECK_MS;
  const intervalMs = opts.intervalMs ?? COMPACTION_INTERVAL_MS;
  const onError = opts.onError ?? ((err: unknown) => console.error(`local compaction failed: ${(err as Error)?.message ?? err}`));
  /** Delivered count the last run started from, and at the previous check. */
  let compactedUpTo = opts.delivered();
  let previousCheck = compactedUpTo;
  let lastRunAt = Date.now();
  let runs = 0;
  let inFlight: Promise<void> = Promise.resolve();
  /** Runs started or queued and not finished. */
  let busy = 0;
  let stopped = false;

  const run = (): Promise<void> => {
    busy++;
    inFlight = inFlight.then(async () => {
      compactedUpTo = opts.delivered();
      lastRunAt = Date.now();
      try {
        await opts.compact();
      } catch (err) {
        onError(err);
      }
      runs++;
      busy--;
    });
    return inFlight;
  };

  const timer = setInterval(() => {
    if (stopped || busy > 0) return;
    const now = opts.delivered();
    const pending = now !== compactedUpTo;
    const settled = now === previousCheck;
    previousCheck = now;
    if ((pending && settled) || Date.now() - lastRunAt >= intervalMs) void run();
  }, checkMs);
  // The loop alone must not keep a process alive.
  timer.unref();

  return {
    runNow: run,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await inFlight;
    },
    runs: () => runs,
  };
}
