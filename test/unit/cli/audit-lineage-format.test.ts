/**
 * `riskfn audit lineage`'s text for the training link: the run and its execution, and the lake
 * objects the run read as it recorded them (each against today's), or, for a run that recorded
 * none, today's compacted objects of the training symbols.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatLineage } from '../../../bin/cli/commands/audit.ts';
import type { LineageReport } from '../../../lib/adapters/audit-lineage.ts';

const RUN = '20261130T070000Z-c0ffee';
const ARN = `arn:aws:states:eu-central-1:123456789012:execution:riskfn-training:${RUN}`;

function report(training: Partial<NonNullable<LineageReport['training']>>): LineageReport {
  return {
    answer: {
      requestId: 'r-1',
      route: 'POST /v1/risk/instrument',
      status: 200,
      timestamp: '2026-11-30T08:00:00.000Z',
      principal: null,
      inputHash: 'sha256:aa',
      answerSha256: 'sha256:bb',
      stored: 'the item',
    },
    request: { requestHash: 'sha256:cc', stored: 'the item (requestExcerpt)', check: 'match' },
    model: null,
    training: {
      runId: RUN,
      executionArn: null,
      datasetKey: `datasets/${RUN}/training-set.bin`,
      fingerprint: 'sha256:dd',
      dataset: 'match',
      rows: 10,
      from: '1991-01-02',
      to: '1991-12-30',
      symbols: ['DAX'],
      lakeObjectsKey: null,
      lakeObjectsRecord: 'not-recorded',
      lakeObjects: [],
      partitions: [],
      ...training,
    },
    inputs: [],
    code: null,
    conventions: null,
  };
}

const linesOf = (text: string, from: string, to: string): string[] => {
  const lines = text.split('\n');
  return lines.slice(
    lines.findIndex((l) => l.startsWith(from)),
    lines.findIndex((l) => l.startsWith(to)),
  );
};

describe('formatLineage: the training link', () => {
  test('a run that recorded its execution and lake objects: each object as read, and how it stands today', () => {
    const text = formatLineage(
      report({
        executionArn: ARN,
        lakeObjectsKey: `datasets/${RUN}/lake-objects.json`,
        lakeObjectsRecord: 'read',
        lakeObjects: [
          { key: 'curated/prices/year=1991/DAX.parquet', etag: '"e1"', versionId: 'v1', folded: 2, now: 'unchanged' },
          { key: 'curated/prices/year=1992/DAX.parquet', etag: '"e2"', folded: 1, now: 'changed' },
          { key: 'staging/prices/symbol=DAX/shardId-000000000000-8000-1992.parquet', etag: '"e3"', now: 'gone' },
        ],
      }),
    );
    assert.deepEqual(linesOf(text, 'training', 'code'), [
      `training    run ${RUN}, execution ${ARN}  training set datasets/${RUN}/training-set.bin`,
      'dataset     fingerprint sha256:dd: match  (10 rows 1991-01-02 … 1991-12-30, symbols DAX)',
      `partitions  3 lake objects of the training symbols as the run read them (datasets/${RUN}/lake-objects.json): 1 unchanged, 1 changed, 1 gone since`,
      '  lake      curated/prices/year=1991/DAX.parquet  etag "e1"  version v1, watermark 2 staging objects folded  unchanged',
      '  lake      curated/prices/year=1992/DAX.parquet  etag "e2"  watermark 1 staging object folded  changed',
      '  lake      staging/prices/symbol=DAX/shardId-000000000000-8000-1992.parquet  etag "e3"  gone',
    ]);
  });

  test('a run from before they were recorded: no execution, and today’s compacted objects of the training symbols', () => {
    const text = formatLineage(report({ partitions: ['curated/prices/year=1991/DAX.parquet', 'curated/prices/year=1992/DAX.parquet'] }));
    assert.deepEqual(linesOf(text, 'training', 'dataset'), [`training    run ${RUN} (execution not recorded)  training set datasets/${RUN}/training-set.bin`]);
    assert.deepEqual(linesOf(text, 'partitions', 'code'), [
      'partitions  2 compacted objects of the training symbols today (versions at training time not recorded)',
    ]);
  });

  test('a record the registry names but the bucket no longer holds says so', () => {
    const text = formatLineage(report({ lakeObjectsKey: `datasets/${RUN}/lake-objects.json`, lakeObjectsRecord: 'missing' }));
    assert.deepEqual(linesOf(text, 'partitions', 'code'), [
      `partitions  the run's record of the lake objects it read, datasets/${RUN}/lake-objects.json: missing`,
    ]);
  });
});
