/**
 * The Drift step's CloudWatch metrics as Powertools writes them (EMF lines on stdout): one
 * `featurePsi` document per feature with the `feature` dimension, and `maxFeaturePsi` without it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { awsTrainingDependencies } from '../../../functions/training/dependencies.ts';

test('featurePsi per feature (dimension feature) and maxFeaturePsi, namespace riskfn', () => {
  const lines: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const metrics = awsTrainingDependencies().driftMetrics();
  process.stdout.write = ((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  try {
    metrics.featurePsi('vol_21', 0.31);
    metrics.featurePsi('rv_d', 0.02);
    metrics.maxPsi(0.31);
    metrics.publish();
  } finally {
    process.stdout.write = write;
  }
  const docs = lines
    .join('')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown> & { _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] } });
  assert.deepEqual(
    docs.map((d) => [d._aws.CloudWatchMetrics[0].Namespace, d._aws.CloudWatchMetrics[0].Dimensions, d.feature, d.featurePsi ?? d.maxFeaturePsi]),
    [
      ['riskfn', [['service', 'feature']], 'vol_21', 0.31],
      ['riskfn', [['service', 'feature']], 'rv_d', 0.02],
      ['riskfn', [['service']], undefined, 0.31],
    ],
  );
});
