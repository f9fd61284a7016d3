/**
 * The pipeline wired together on already-running emulators (see ./emulators.ts): the
 * local event-source mapping feeding the ingest handler, the sample replay, compaction of
 * the lake (once after the replay, then after each ingest round and every 30 s: see
 * ./compaction-loop.ts), one run of the synthesised training state machine, and the API server. Shared by `npm start`
 * (bin/local.ts) and the end-to-end test, so the test exercises exactly what users run.
 */
import { join } from 'node:path';
import { handler as apiHandler } from '../../functions/api.ts';
import { handler as compactHandler } from '../../functions/compact.ts';
import { handler as ingestHandler } from '../../functions/ingest.ts';
import { DATA_LAKE_BUCKET, MARKET_DATA_STREAM } from '../config/resources.ts';
import { type ApiServer, type ProxyHandler, startApiServer } from './api-server.ts';
import { type CompactionLoop, startCompactionLoop } from './compaction-loop.ts';
import { createKinesisPoller, type KinesisPoller, type OnFailureRecord } from './kinesis-poller.ts';
import { createLambdaContext } from './lambda-context.ts';
import { csvFilesIn, type ReplayReport, replayPriceFiles } from './replay.ts';
import { createTrainingWorkflowRunner, type TrainingWorkflowRunner, type WorkflowResult } from './step-functions/training-workflow.ts';

export const SAMPLE_DATA_DIR = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../../data/sample');

export interface LocalStackOptions {
  /** API port; 0 = any free port. Default 3000. */
  port?: number;
  /**
   * Price files to replay; default the four real index histories `data/sample/eustock_*.csv`.
   * (The simulated xts OHLC sample is left out: nine years later and not a market, it would
   * sit alone in the test period and skew the model's evaluation; ingest tests use it.)
   */
  files?: string[];
  /** Execution input of the first training run (e.g. `{ options: { trees: 50 } }`). */
  trainingInput?: Record<string, unknown>;
  log?: (msg: string) => void;
}

export interface LocalStack {
  apiUrl: string;
  poller: KinesisPoller;
  /** Compaction of the lake; `runNow()` compacts at once (e.g. before reading the lake in a test). */
  compaction: CompactionLoop;
  workflow: TrainingWorkflowRunner;
  replay: ReplayReport;
  firstTraining: WorkflowResult;
  /** Batches the poller gave up on (the local stand-in for the on-failure SQS queue). */
  failedBatches: OnFailureRecord[];
  stop(): Promise<void>;
}

export async function startLocalStack(opts: LocalStackOptions = {}): Promise<LocalStack> {
  const log = opts.log ?? (() => undefined);
  const failedBatches: OnFailureRecord[] = [];
  const poller = createKinesisPoller({
    streamName: MARKET_DATA_STREAM.name,
    handler: ingestHandler,
    failedBucket: DATA_LAKE_BUCKET.localName,
    onFailure: (r) => {
      failedBatches.push(r);
    },
  });
  poller.start();
  /** The compaction Lambda as the schedule invokes it in AWS: input `{}` = every partition with staging objects. */
  const compactOnce = () => compactHandler({}, createLambdaContext({ functionName: 'riskfn-compact', timeoutMs: 300_000 }));
  let api: ApiServer | undefined;
  let compaction: CompactionLoop | undefined;
  try {
    const files = opts.files ?? (await csvFilesIn(SAMPLE_DATA_DIR)).filter((f) => /eustock_[^/]*\.csv$/i.test(f));
    const replay = await replayPriceFiles(MARKET_DATA_STREAM.name, files);
    log(`replayed ${replay.bars} bars from ${replay.files.length} files as ${replay.records} Kinesis records`);
    const ingest = await poller.drain();
    log(`ingested: ${ingest.invocations} handler invocations, ${ingest.recordsDelivered} records`);
    // The training workflow and the API read the compacted lake, as they would in AWS.
    const compacted = await compactOnce();
    log(`compacted: ${compacted.objectsCompacted} staging objects into ${compacted.partitions} (symbol, year) objects`);
    compaction = startCompactionLoop({
      compact: compactOnce,
      delivered: () => poller.stats().recordsDelivered,
      onError: (err) => log(`compaction failed (staged bars stay readable; the next run retries): ${(err as Error)?.message ?? err}`),
    });

    const workflow = await createTrainingWorkflowRunner();
    const firstTraining = await workflow.run(opts.trainingInput ?? {});
    if (firstTraining.status !== 'SUCCEEDED') {
      const last = firstTraining.taskErrors.at(-1);
      throw new Error(
        `training workflow failed in ${last?.state ?? '?'}: ${last?.error ?? firstTraining.error?.name}: ${last?.cause ?? firstTraining.error?.cause}`,
      );
    }
    const gate = (firstTraining.output?.evaluation ?? {}) as { promote?: boolean; reason?: string };
    log(`training workflow: ${collapseRuns(firstTraining.path).join(' -> ')} (${gate.reason ?? 'no gate decision'})`);

    api = await startApiServer({ handler: apiHandler as ProxyHandler, port: opts.port ?? 3000 });
    const server = api;
    const loop = compaction;
    return {
      apiUrl: server.url,
      poller,
      compaction: loop,
      workflow,
      replay,
      firstTraining,
      failedBatches,
      async stop() {
        await server.close();
        await loop.stop();
        await poller.stop();
      },
    };
  } catch (err) {
    await api?.close();
    await compaction?.stop();
    await poller.stop();
    throw err;
  }
}

/** A state path with each run of one repeated state (a Map state's items) shown once with its count, e.g. `RunFold ×5`. */
function collapseRuns(path: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < path.length; ) {
    let j = i;
    while (j < path.length && path[j] === path[i]) j++;
    out.push(j - i > 1 ? `${path[i]} ×${j - i}` : path[i]);
    i = j;
  }
  return out;
}
