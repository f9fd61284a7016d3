/**
 * `riskfn audit <subcommand>`: how an audited answer was made, and proof that it still comes out
 * the same (docs/lineage.md), on the local stack (`npm start`) or in AWS (--bucket, --audit-table
 * and --model-table with the standard AWS configuration).
 *   lineage REQUEST_ID       answer → model version → training run → dataset fingerprint → lake partitions → raw records
 *   replay REQUEST_ID...     recompute answers from their records and compare, canonical JSON byte for byte
 * AWS SDK code is loaded inside the actions, so `riskfn --help` stays fast.
 */
import type { Command } from 'commander';
import type { ReplayReport } from '../../../functions/api/replay-answer.ts';
import type { AuditEvidence } from '../../../lib/adapters/audit-evidence.ts';
import type { LineageLakeObject, LineageReport } from '../../../lib/adapters/audit-lineage.ts';
import type { CodeVersion } from '../../../lib/adapters/code-version.ts';
import { DataError, integerOption, paragraphs, UsageError } from '../command-kit.ts';
import { counted, toJson } from '../format.ts';
import { connectLocalStack, quietAwsSdk } from '../local-endpoints.ts';

interface TargetOptions {
  bucket?: string;
  auditTable?: string;
  modelTable?: string;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const TARGET_HELP = `Without --bucket, --audit-table and --model-table the local stack of \`npm start\` is used (found
through .riskfn-local/endpoints.json in this directory or above); with them, AWS and the standard
AWS configuration (credentials, AWS_REGION).`;

function targetOptions(cmd: Command): Command {
  return cmd
    .option('--bucket <name>', 'the data bucket in AWS (with --audit-table and --model-table)')
    .option('--audit-table <name>', 'the audit table in AWS')
    .option('--model-table <name>', 'the model registry table in AWS');
}

export function register(program: Command): void {
  const audit = program
    .command('audit')
    .summary('the lineage of an audited answer, and its replay')
    .description(
      paragraphs(`How an answer of the scoring API was made and whether it still comes out the same, from its
audit record alone (GET /v1/audit/{requestId} shows the record). See docs/lineage.md.

${TARGET_HELP}`),
    );

  targetOptions(
    audit
      .command('lineage')
      .summary('print the chain: answer → model → training run → dataset → lake partitions → raw records')
      .description(
        paragraphs(`Prints the chain behind one answer, each link with what was checked: the answer and its
request (hash against the stored body); the model version that scored (its artifact hashed again
against the hash the answer recorded, its registry status and promotions); the training run that
made it (the run id, its stored training set fingerprinted again against the artifact's dataset
fingerprint, the training symbols' lake partitions); each input series (its stored copy hashed
again; the exact lake objects it was read from, with ETags, versions and compaction watermarks,
read as they were and reassembled by the lake's rules into the series, hashed again); and the raw
Kinesis records behind its bars, looked up in the raw backup. Then the code version and the
conventions hash. --json prints the same as JSON.`),
      )
      .argument('<requestId>', 'the request id of the answer (its audit key)')
      .option('--json', 'print JSON instead of text'),
  ).action(async (requestId: string, opts: TargetOptions & { json?: boolean }) => {
    checkRequestId(requestId);
    const evidence = await connect(opts);
    const record = await evidence.record(requestId);
    if (!record) throw new DataError(`no audit record has request id ${requestId}`);
    const { answerLineageReport } = await import('../../../lib/adapters/audit-lineage.ts');
    const report = await answerLineageReport(record, evidence);
    process.stdout.write(opts.json ? `${toJson(report)}\n` : formatLineage(report));
  });

  targetOptions(
    audit
      .command('replay')
      .summary('recompute audited answers and say whether they are identical (canonical JSON, byte for byte)')
      .description(
        paragraphs(`Recomputes each answer from its audit record alone: the request as received, the stored copy
of every lake series it used, the model artifact that scored and the recorded time, each checked
against the hash the record names, through the API's own routes; then compares the result with
the recorded answer as canonical JSON, byte for byte. Newer data in the lake and a newer champion
do not change a replay. Prints one block per answer: the verdict, each piece's check (a piece
that no longer matches is named), how the answer's lake objects stand today, and the recorded and
replaying code versions. Give request ids, or --symbol / --model-version to replay the answers the
audit indexes list for them (--limit most recent). Exits 1 unless every answer is identical.`),
      )
      .argument('[requestId...]', 'request ids of the answers')
      .option('--symbol <symbol>', "replay the symbol's audited answers (the bySymbol index)")
      .option('--model-version <version>', "replay the model version's audited answers (the byModelVersion index)")
      .addOption(integerOption('--limit <n>', 'most answers taken from --symbol or --model-version, newest first', { min: 1, default: 100 }))
      .option('--json', 'print the reports as JSON'),
  ).action(async (ids: string[], opts: TargetOptions & { symbol?: string; modelVersion?: string; limit: number; json?: boolean }) => {
    for (const id of ids) checkRequestId(id);
    if (ids.length === 0 && opts.symbol === undefined && opts.modelVersion === undefined) throw new UsageError('give request ids, --symbol or --model-version');
    const evidence = await connect(opts);
    const wanted = [...ids, ...(await indexedIds(opts))];
    const { replayAnswer, AuditRecordNotFoundError } = await import('../../../functions/api/replay-answer.ts');
    const reports: ReplayReport[] = [];
    for (const id of [...new Set(wanted)]) {
      try {
        const report = await replayAnswer(id, evidence);
        reports.push(report);
        if (!opts.json) process.stdout.write(formatReplay(report));
      } catch (err) {
        if (err instanceof AuditRecordNotFoundError) throw new DataError(err.message);
        throw err;
      }
    }
    if (opts.json) process.stdout.write(`${toJson(reports)}\n`);
    const count = (o: string) => reports.filter((r) => r.verdict.outcome === o).length;
    process.stderr.write(
      `${counted(reports.length, 'answer')} replayed: ${count('identical')} identical, ${count('different')} different, ${count('not-replayable')} not replayable\n`,
    );
    if (count('identical') < reports.length) throw new DataError(`${counted(reports.length - count('identical'), 'answer')} did not replay identically`);
  });
}

function checkRequestId(id: string): void {
  if (!REQUEST_ID.test(id)) throw new UsageError(`REQUEST_ID must be 1-128 of A-Z a-z 0-9 . _ : -, got '${id}'`);
}

/** The evidence readers of the local stack, or of AWS when the three names are given. */
async function connect(opts: TargetOptions): Promise<AuditEvidence> {
  const given = [opts.bucket, opts.auditTable, opts.modelTable].filter((v) => v !== undefined).length;
  let bucket: string;
  if (given === 3) {
    quietAwsSdk();
    Object.assign(process.env, { DATA_BUCKET: opts.bucket, AUDIT_TABLE: opts.auditTable, MODEL_TABLE: opts.modelTable });
    bucket = opts.bucket as string;
  } else if (given === 0) {
    bucket = (await connectLocalStack('--bucket, --audit-table and --model-table')).bucket;
  } else {
    throw new UsageError('--bucket, --audit-table and --model-table go together (without them the local stack is used)');
  }
  const { auditEvidence } = await import('../../../lib/adapters/audit-evidence.ts');
  return auditEvidence(bucket);
}

/** The request ids the audit indexes list for --symbol / --model-version, newest first, at most --limit each. */
async function indexedIds(opts: { symbol?: string; modelVersion?: string; limit: number }): Promise<string[]> {
  const { dynamoAuditTable } = await import('../../../lib/adapters/dynamodb/audit-log.ts');
  const table = dynamoAuditTable();
  const ids: string[] = [];
  const queries = [
    ...(opts.symbol === undefined ? [] : [{ by: 'symbol' as const, value: opts.symbol.toUpperCase() }]),
    ...(opts.modelVersion === undefined ? [] : [{ by: 'modelVersion' as const, value: opts.modelVersion }]),
  ];
  for (const q of queries) {
    let cursor: string | undefined;
    let taken = 0;
    do {
      const page = await table.query({ ...q, limit: Math.min(100, opts.limit - taken), ...(cursor ? { cursor } : {}) });
      // Only scoring answers have a lineage to replay; refusals under the same key are left out.
      for (const item of page.items) if (item.lineage) ids.push(item.requestId);
      taken += page.items.length;
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined && taken < opts.limit);
  }
  return ids;
}

const codeText = (c: CodeVersion | null): string =>
  c ? `riskfn ${c.package}, commit ${c.commit ?? 'unknown'}${c.dirty ? ' with uncommitted changes' : ''}` : 'not recorded';

/** One lake object as read (key, ETag, version, watermark) and how it stands today. */
function lakeObjectLine(o: LineageLakeObject): string {
  const extra = [o.versionId ? `version ${o.versionId}` : null, o.folded !== undefined ? `watermark ${counted(o.folded, 'staging object')} folded` : null]
    .filter((x) => x !== null)
    .join(', ');
  return `  lake      ${o.key}  etag ${o.etag}${extra ? `  ${extra}` : ''}  ${o.now}`;
}

/** The training dataset's lake objects: as the run recorded them, or (a run that recorded none) today's compacted objects. */
function trainingPartitionLines(t: NonNullable<LineageReport['training']>): string[] {
  if (t.lakeObjectsRecord === 'not-recorded') {
    return [`partitions  ${counted(t.partitions.length, 'compacted object')} of the training symbols today (versions at training time not recorded)`];
  }
  if (t.lakeObjectsRecord !== 'read') return [`partitions  the run's record of the lake objects it read, ${t.lakeObjectsKey}: ${t.lakeObjectsRecord}`];
  const n = (state: LineageLakeObject['now']) => t.lakeObjects.filter((o) => o.now === state).length;
  return [
    `partitions  ${counted(t.lakeObjects.length, 'lake object')} of the training symbols as the run read them (${t.lakeObjectsKey}): ${n('unchanged')} unchanged, ${n('changed')} changed, ${n('gone')} gone since`,
    ...t.lakeObjects.map(lakeObjectLine),
  ];
}

/** The lineage as indented text, one link per block. */
export function formatLineage(r: LineageReport): string {
  const out: string[] = [];
  const a = r.answer;
  out.push(`answer      ${a.requestId}  ${a.route}  ${a.status}  ${a.timestamp}${a.principal ? `  by ${a.principal}` : ''}`);
  out.push(`            body ${a.answerSha256 ?? 'missing'} (in ${a.stored}); input hash ${a.inputHash}`);
  out.push(`request     ${r.request.requestHash} in ${r.request.stored}: ${r.request.check}`);
  if (r.model) {
    const m = r.model;
    out.push(`model       ${m.version}  status ${m.status ?? 'not in the registry'}  trained ${m.createdAt ?? '?'}  promoted ${m.promotedAt ?? '-'}`);
    out.push(`            artifact ${m.artifactKey ?? '?'} ${m.artifactSha256 ?? '(no hash recorded)'}: ${m.artifact ?? 'not checked'}`);
    for (const p of m.promotions) {
      out.push(
        p.version === m.version
          ? `            promoted ${p.promotedAt} over ${p.previousVersion ?? '(none)'} by run ${p.executionId ?? '?'} (score ${p.score})`
          : `            replaced ${p.promotedAt} by ${p.version} (run ${p.executionId ?? '?'})`,
      );
    }
  } else out.push('model       none (no model was involved)');
  if (r.training) {
    const t = r.training;
    const execution = t.executionArn ? `, execution ${t.executionArn}` : ' (execution not recorded)';
    out.push(`training    run ${t.runId ?? '?'}${execution}  training set ${t.datasetKey ?? '?'}`);
    out.push(
      `dataset     fingerprint ${t.fingerprint ?? '?'}: ${t.dataset}  (${t.rows ?? '?'} rows ${t.from ?? '?'} … ${t.to ?? '?'}, symbols ${t.symbols.join(', ') || '-'})`,
    );
    out.push(...trainingPartitionLines(t));
  }
  for (const i of r.inputs) {
    out.push(`input       ${i.symbol ?? '(unnamed)'} from the ${i.source}: series ${i.sha256}`);
    if (i.source === 'request') {
      out.push('            carried in the request (checked through its hash)');
      continue;
    }
    out.push(`            copy ${i.copyKey ?? '?'}: ${i.copy}`);
    for (const o of i.objects) out.push(lakeObjectLine(o));
    out.push(`            reassembled from the objects as read: ${i.reassembled}`);
    if (i.rawRecords) {
      const rr = i.rawRecords;
      out.push(`  raw       ${counted(rr.records, 'record')} behind the bars, ${rr.present} in the raw backup${rr.first ? `: ${rr.first} … ${rr.last}` : ''}`);
    }
  }
  out.push(`code        ${codeText(r.code)}`);
  out.push(`conventions ${r.conventions ?? 'not recorded'}`);
  if (r.note) out.push(`note        ${r.note}`);
  return `${out.join('\n')}\n`;
}

/** One replay as a block of text. */
export function formatReplay(r: ReplayReport): string {
  const out = [`${r.requestId}  ${r.route}  ${r.verdict.outcome}: ${r.verdict.summary}`];
  const width = Math.max(0, ...r.checks.map((c) => c.piece.length));
  for (const c of r.checks)
    out.push(
      `  ${c.piece.padEnd(width)}  ${c.status.padEnd(8)}  ${c.location}${c.status === 'mismatch' ? `  (expected ${c.expected}, found ${c.actual})` : ''}`,
    );
  for (const l of r.lakeNow) {
    out.push(
      `  lake today: ${l.symbol ?? '(unnamed)'}: ${counted(l.objects, 'object')} read, ${l.unchanged} unchanged, ${l.changed} changed, ${l.gone} gone since`,
    );
  }
  out.push(`  code: recorded ${codeText(r.code.recorded)}; replaying ${codeText(r.code.replaying)}`);
  return `${out.join('\n')}\n`;
}
