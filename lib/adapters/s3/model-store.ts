/**
 * Model artifacts, model cards and training sets in the data-lake bucket:
 * `models/<version>/model.json`, `models/<version>/model-summary.txt` and
 * `datasets/<runId>/training-set.json`. Each put returns the key it wrote; read them back
 * with `getText` (./objects.ts).
 */
import { DATA_LAKE_BUCKET } from '../../config/resources.ts';
import { putText } from './objects.ts';

export const artifactKeyFor = (version: string): string => `${DATA_LAKE_BUCKET.modelsPrefix}${version}/model.json`;
/** Human-readable model summary and evaluation (the model card) beside the artifact. */
export const summaryKeyFor = (version: string): string => `${DATA_LAKE_BUCKET.modelsPrefix}${version}/model-summary.txt`;
export const datasetKeyFor = (runId: string): string => `${DATA_LAKE_BUCKET.datasetsPrefix}${runId}/training-set.json`;

export async function putArtifactText(bucket: string, version: string, text: string): Promise<string> {
  const key = artifactKeyFor(version);
  await putText(bucket, key, text);
  return key;
}

export async function putModelSummary(bucket: string, version: string, text: string): Promise<string> {
  const key = summaryKeyFor(version);
  await putText(bucket, key, text, 'text/plain; charset=utf-8');
  return key;
}

export async function putDatasetText(bucket: string, runId: string, text: string): Promise<string> {
  const key = datasetKeyFor(runId);
  await putText(bucket, key, text);
  return key;
}
