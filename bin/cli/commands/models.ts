/**
 * `riskfn models <subcommand>`: the model registry for people, on the local stack (`npm start`)
 * or in AWS (--table NAME, standard AWS configuration).
 *   list                  versions newest first (status, trained, promoted, why rejected)
 *   show VERSION          one version in full (as `GET /v1/models/{version}` answers it)
 *   approve VERSION       approve a version the workflow waits on (or ahead of the gate)
 * AWS SDK code is loaded inside the actions, so `riskfn --help` stays fast.
 */
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import type { ModelApproval, ModelRegistry, ModelVersionRecord } from '../../../lib/adapters/dynamodb/model-registry.ts';
import type { ModelArtifact } from '../../../lib/domain/model/index.ts';
import { MODEL_STATUSES, MODEL_VERSION_PATTERN, type ModelRegistryEntry, type ModelStatus } from '../../../lib/schemas/model-registry-entry.ts';
import { choiceOption, DataError, integerOption, paragraphs, UsageError } from '../command-kit.ts';
import { table, toJson } from '../format.ts';
import { connectLocalStack, quietAwsSdk } from '../local-endpoints.ts';

interface TargetOptions {
  table?: string;
  bucket?: string;
}

const TABLE_FLAGS = ['--table <name>', 'the model registry table in AWS (default: the local stack of `npm start`)'] as const;

export function register(program: Command): void {
  const models = program
    .command('models')
    .summary('the model registry: list versions, show one, approve one for promotion')
    .description(
      paragraphs(`The model registry of the local stack that \`npm start\` runs (found through
.riskfn-local/endpoints.json in this directory or above), or of a registry table in AWS with
--table NAME and the standard AWS configuration (credentials, AWS_REGION). The API answers the
same facts at GET /v1/models, /v1/models/champion and /v1/models/{version}. See docs/cli.md.`),
    );

  models
    .command('list')
    .summary('model versions, newest first')
    .description(
      paragraphs(`Prints one line per version, newest first: version, status (candidate, awaiting-approval,
approved, champion, retired, rejected), when it was trained and promoted, and a note (why the gate
rejected it, what replaced it, who approved it). --json prints the versions as the API's
GET /v1/models items.`),
    )
    .addOption(choiceOption('--status <status>', 'only versions with this status', MODEL_STATUSES))
    .addOption(integerOption('--limit <n>', 'most versions to print', { min: 1, default: 20 }))
    .option('--json', 'print JSON instead of a table')
    .option(...TABLE_FLAGS)
    .action(async (opts: TargetOptions & { status?: ModelStatus; limit: number; json?: boolean }) => {
      const { registry } = await connectRegistry(opts);
      const [items, champion] = await Promise.all([listVersions(registry, { limit: opts.limit, status: opts.status }), registry.getChampion()]);
      if (opts.json) {
        const { versionSummary } = await import('../../../functions/api/routes/models-entry.ts');
        process.stdout.write(`${toJson(items.map(versionSummary))}\n`);
      } else {
        process.stdout.write(formatVersionList(items));
      }
      process.stderr.write(`${items.length === 0 ? 'no versions' : `${items.length} shown`}; champion: ${champion?.version ?? 'none'}\n`);
    });

  models
    .command('show')
    .summary('one version in full: status, evaluation, data window, features, label rule, promotions')
    .description(
      paragraphs(`Prints one version as GET /v1/models/{version} answers it: registry status and dates, the
evaluation the training workflow recorded (model and baseline scores, the promotion gate), and from
the model artifact the training window, fingerprint, features and label rule, then the promotions
that made or replaced it. VERSION \`champion\` is the current champion. Against AWS, --bucket names
the data bucket the artifact is in.`),
    )
    .argument('<version>', 'a model version, or `champion`')
    .option('--json', 'print the JSON entry instead of text')
    .option(...TABLE_FLAGS)
    .option('--bucket <name>', 'the data bucket in AWS, where the model artifact is (with --table)')
    .action(async (version: string, opts: TargetOptions & { json?: boolean }) => {
      if (version !== 'champion') checkVersion(version);
      const { registry, bucket } = await connectRegistry(opts);
      if (bucket === null) throw new UsageError('--table needs --bucket NAME too: the model artifact is in the data bucket');
      const entry = await showVersion(registry, version, bucketArtifacts(bucket));
      process.stdout.write(opts.json ? `${toJson(entry)}\n` : `${formatEntry(entry)}\n`);
    });

  models
    .command('approve')
    .summary('approve a version for promotion (resumes the workflow waiting for it)')
    .description(
      paragraphs(`Records your approval of VERSION in the registry (status approved, with --approver and the
time) and resumes the training workflow waiting for it: its WaitForApproval state receives the
approval and the workflow goes on to promote the version. Only a candidate or awaiting-approval
version can be approved; approving twice, or a rejected, retired or champion version, is an error.
A version approved before the workflow asks keeps its approval, and the workflow's request
finds it. Against AWS you need
dynamodb:UpdateItem/GetItem on the registry table and states:SendTaskSuccess on the workflow.`),
    )
    .argument('<version>', 'the model version to approve')
    .option('--approver <name>', 'who approves, recorded with the approval', userInfo().username)
    .option(...TABLE_FLAGS)
    .action(async (version: string, opts: TargetOptions & { approver: string }) => {
      checkVersion(version);
      if (opts.approver.trim() === '') throw new UsageError('--approver must not be empty');
      const { registry } = await connectRegistry(opts);
      const { sendApproval } = await import('../../../lib/adapters/stepfunctions/task-tokens.ts');
      const outcome = await approveVersion(registry, version, { approver: opts.approver, at: new Date().toISOString() }, sendApproval);
      process.stdout.write(`${approvalMessage(outcome)}\n`);
    });
}

function checkVersion(version: string): void {
  if (!MODEL_VERSION_PATTERN.test(version)) {
    throw new UsageError(`VERSION must be letters, digits and . _ : - (at most 128, starting with a letter or digit), got '${version}'`);
  }
}

/** The registry (and the data bucket) of the local stack, or of AWS with --table. */
async function connectRegistry(opts: TargetOptions): Promise<{ registry: ModelRegistry; bucket: string | null }> {
  let bucket: string | null = null;
  if (opts.table !== undefined) {
    quietAwsSdk();
    process.env.MODEL_TABLE = opts.table;
    if (opts.bucket !== undefined) process.env.DATA_BUCKET = opts.bucket;
    bucket = opts.bucket ?? null;
  } else {
    if (opts.bucket !== undefined) throw new UsageError('--bucket goes with --table (without them the local stack is used)');
    bucket = (await connectLocalStack('--table NAME')).bucket;
  }
  const { dynamoModelRegistry } = await import('../../../lib/adapters/dynamodb/model-registry.ts');
  return { registry: dynamoModelRegistry(), bucket };
}

/** Up to `limit` versions newest first, through as many registry pages as that takes. */
export async function listVersions(
  registry: Pick<ModelRegistry, 'listModelVersions'>,
  opts: { limit: number; status?: ModelStatus },
): Promise<ModelVersionRecord[]> {
  const out: ModelVersionRecord[] = [];
  let cursor: string | null = null;
  do {
    const page = await registry.listModelVersions({ limit: Math.min(100, opts.limit - out.length), cursor, status: opts.status });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null && out.length < opts.limit);
  return out;
}

/** What a version's line says after its dates: why it was rejected, what replaced it, who approved it. */
function note(r: ModelVersionRecord): string {
  if (r.status === 'rejected') return r.reason ?? '';
  if (r.status === 'retired') return r.replacedBy ? `replaced by ${r.replacedBy}` : '';
  if (r.approval) return `approved by ${r.approval.approver}`;
  return '';
}

/** Aligned columns with a header; empty when there are no versions. */
export function formatVersionList(items: readonly ModelVersionRecord[]): string {
  if (items.length === 0) return '';
  const rows = [['VERSION', 'STATUS', 'TRAINED', 'PROMOTED', 'NOTE'], ...items.map((r) => [r.version, r.status, r.createdAt, r.promotedAt ?? '-', note(r)])];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const line = (row: string[]) =>
    row
      .map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  return `${rows.map(line).join('\n')}\n`;
}

/** Reads a version's artifact (from the data bucket; tests pass their own). */
type ArtifactLoader = (version: string, artifactKey: string) => Promise<ModelArtifact>;

/** The artifact loader of a data bucket. */
function bucketArtifacts(bucket: string): ArtifactLoader {
  return async (_version, artifactKey) => {
    const [{ getText }, { parseArtifact }] = await Promise.all([import('../../../lib/adapters/s3/objects.ts'), import('../../../lib/domain/model/index.ts')]);
    return parseArtifact(await getText(bucket, artifactKey));
  };
}

/** The version's full entry (`champion`: the current champion's), as `GET /v1/models/{version}` answers it. */
export async function showVersion(registry: ModelRegistry, version: string, loadArtifact: ArtifactLoader): Promise<ModelRegistryEntry> {
  const { championRecord, registryEntry } = await import('../../../functions/api/routes/models-entry.ts');
  const champion = await registry.getChampion();
  const wanted = version === 'champion' ? champion?.version : version;
  if (wanted === undefined) throw new DataError('no model has been promoted to champion yet');
  const record = (await registry.getModelVersion(wanted)) ?? (champion?.version === wanted ? championRecord(champion) : null);
  if (!record) throw new DataError(`the model registry has no version '${wanted}' (riskfn models list shows the versions)`);
  return registryEntry({ registry, loadArtifact }, record, champion);
}

/** Scalars of a nested object as dotted paths (`baselines.persistence.logLoss`), arrays as JSON. */
function flatten(value: unknown, prefix = ''): [string, string][] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const text = typeof value === 'number' ? String(Number(value.toPrecision(6))) : typeof value === 'string' ? value : JSON.stringify(value);
    return [[prefix, text]];
  }
  return Object.entries(value).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
}

function calibrationText(c: NonNullable<ModelRegistryEntry['model']>['calibration']): string {
  const how = c.method === 'temperature' ? `temperature ${c.temperature}` : `none (${c.reason ?? '?'})`;
  return `${how}, HAR weight ${c.harWeight ?? 0}, on ${c.rows} rows`;
}

/** The artifact's own evaluation without its per-fold windows (their count stays). */
function artifactEvaluationRows(evaluation: Record<string, unknown>): [string, string][] {
  const { folds, ...rest } = evaluation;
  return [...(Array.isArray(folds) ? [['folds', String(folds.length)] as [string, string]] : []), ...flatten(rest)];
}

/** The entry as sections of label/value rows. */
export function formatEntry(e: ModelRegistryEntry): string {
  const registryRows: [string, string][] = [
    ['status', e.champion ? `${e.status} (serving)` : e.status],
    ['trained', e.createdAt],
    ['promoted', e.promotedAt ?? '-'],
    ...(e.retiredAt ? [['retired', `${e.retiredAt}, replaced by ${e.replacedBy ?? '?'}`] as [string, string]] : []),
    ...(e.reason ? [['rejected because', e.reason] as [string, string]] : []),
    ['approval', e.approval ? `${e.approval.approver} at ${e.approval.at}` : '-'],
    ['artifact', e.artifactKey],
  ];
  const m = e.model;
  const modelRows: [string, string][] = m
    ? [
        ['training window', `${m.training.from ?? '?'} .. ${m.training.to ?? '?'} (${m.training.rows} rows)`],
        ['symbols', m.training.symbols.join(', ')],
        ['fingerprint', m.training.fingerprint],
        ['classes', m.classes.join(', ')],
        ['label rule', JSON.stringify(m.labelRule)],
        ['features', m.features.join(', ')],
        ['test from', m.testFrom ?? '-'],
        ['calibration', calibrationText(m.calibration)],
      ]
    : [['artifact', `not read: ${e.modelError}`]];
  const promotionRows: [string, string][] = e.promotions.map((p) => [
    p.promotedAt,
    `${p.version} ${p.previousVersion ? `replaced ${p.previousVersion}` : 'became the first champion'} (score ${p.score}${p.executionId ? `, run ${p.executionId}` : ''})`,
  ]);
  return `${e.version}\n\n${table([
    ['Registry', registryRows],
    ['Evaluation', e.evaluation ? flatten(e.evaluation) : [['-', 'none recorded']]],
    ['Model', modelRows],
    ['Out of sample (from the artifact)', m ? artifactEvaluationRows(m.evaluation) : []],
    ['Promotions', promotionRows.length > 0 ? promotionRows : [['-', 'never promoted']]],
  ])}`;
}

/** What approving did: the approved record, and whether a waiting workflow was resumed. */
export interface ApprovalOutcome {
  record: ModelVersionRecord;
  /** resumed: Step Functions accepted the approval; local: a local run resumes by itself; none: no workflow waits yet. */
  workflow: 'resumed' | 'local' | 'none';
}

/**
 * Approves `version` in the registry, then completes the waiting workflow task with the
 * approval. The registry first: its conditional write is what stops a second approval or the
 * approval of a rejected version; a workflow that no longer waits (timed out) is reported after
 * the approval is recorded.
 */
export async function approveVersion(
  registry: Pick<ModelRegistry, 'approveModelVersion'>,
  version: string,
  approval: ModelApproval,
  send: (token: string, output: Record<string, unknown>) => Promise<boolean>,
): Promise<ApprovalOutcome> {
  const { ModelNotApprovableError, ModelVersionNotFoundError } = await import('../../../lib/adapters/dynamodb/model-registry.ts');
  let record: ModelVersionRecord;
  try {
    record = await registry.approveModelVersion(version, approval);
  } catch (err) {
    if (err instanceof ModelVersionNotFoundError) throw new DataError(`the model registry has no version '${version}' (riskfn models list shows the versions)`);
    if (err instanceof ModelNotApprovableError) throw new DataError(err.message);
    throw err;
  }
  if (record.taskToken === undefined) return { record, workflow: 'none' };
  try {
    const sent = await send(record.taskToken, { version, approver: approval.approver, approvedAt: approval.at });
    return { record, workflow: sent ? 'resumed' : 'local' };
  } catch (err) {
    throw new DataError(
      `${version} is approved in the registry, but the workflow waiting for it could not be resumed (${(err as Error).name}: ${(err as Error).message}); ` +
        'a workflow that timed out must be started again',
    );
  }
}

export function approvalMessage(o: ApprovalOutcome): string {
  const who = `${o.record.version} approved by ${o.record.approval?.approver} at ${o.record.approval?.at}`;
  if (o.workflow === 'resumed') return `${who}; the workflow waiting for it was resumed and will promote it`;
  if (o.workflow === 'local') return `${who}; the local workflow run waiting for it resumes by itself`;
  return `${who}; no workflow waits for it yet: the next one that asks will promote it without waiting`;
}
