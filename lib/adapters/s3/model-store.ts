/**
 * Model artifacts and training sets in the data-lake bucket:
 * `models/<version>/model.json` and `datasets/<runId>/training-set.json`.
 */
import { DATA_LAKE_BUCKET } from '../../config/resources.ts';
import { getTextOrNull, putText } from './objects.ts';

export const artifactKeyFor = (version: string): string => `${DATA_LAKE_BUCKET.modelsPrefix}${version}/model.json`;
/** Human-readable model summary and evaluation (the model card) beside the artifact. */
export const summaryKeyFor = (version: string): string => `${DATA_LAKE_BUCKET.modelsPrefix}${version}/model-summary.txt`;
export const datasetKeyFor = (runId: string): string => `${DATA_LAKE_BUCKET.datasetsPrefix}${runId}/training-set.json`;

export class ObjectMissingError extends Error {
  override name = 'ObjectMissingError';
  constructor(
    readonly bucket: string,
    readonly key: string,
  ) {
    super(`s3://${bucket}/${key} does not exist`);
  }
}

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

export async function getArtifactText(bucket: string, key: string): Promise<string> {
  const text = await getTextOrNull(bucket, key);
  if (text === null) throw new ObjectMissingError(bucket, key);
  return text;
}

export async function putDatasetText(bucket: string, runId: string, text: string): Promise<string> {
  const key = datasetKeyFor(runId);
  await putText(bucket, key, text);
  return key;
}

export async function getDatasetText(bucket: string, key: string): Promise<string> {
  const text = await getTextOrNull(bucket, key);
  if (text === null) throw new ObjectMissingError(bucket, key);
  return text;
}
