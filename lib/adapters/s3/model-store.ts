/**
 * Model artifacts, model cards, drift reports and training sets in the data-lake bucket:
 * `models/<version>/model.json`, `models/<version>/model-summary.txt`, `models/<version>/drift.json`,
 * `models/<version>/model-card.json` and its page `models/<version>/model-card.html`,
 * `datasets/<runId>/training-set.bin` (binary, training-set-binary.ts), and the other objects of a training run under
 * `datasets/<runId>/` (walk-forward fold results, tree shards, recent features). Each put returns
 * the key it wrote; read them back with `getText` or `getBytes` (./objects.ts).
 */
import { DATA_LAKE_BUCKET } from '../../config/resources.ts';
import { putBytes, putText } from './objects.ts';

export const artifactKeyFor = (version: string): string => `${DATA_LAKE_BUCKET.modelsPrefix}${version}/model.json`;
/** Human-readable model summary and evaluation (the model card) beside the artifact. */
export const summaryKeyFor = (version: string): string => `${DATA_LAKE_BUCKET.modelsPrefix}${version}/model-summary.txt`;
/** The model card (lib/schemas/model-card.ts) of a version, beside its artifact. */
export const modelCardKeyFor = (version: string): string => `${DATA_LAKE_BUCKET.modelsPrefix}${version}/model-card.json`;
/** The model card's HTML page as the training workflow wrote it. */
export const modelCardPageKeyFor = (version: string): string => `${DATA_LAKE_BUCKET.modelsPrefix}${version}/model-card.html`;
/** The drift report (PSI per feature) of a version, beside its artifact. */
export const driftKeyFor = (version: string): string => `${DATA_LAKE_BUCKET.modelsPrefix}${version}/drift.json`;
export const datasetKeyFor = (runId: string): string => `${DATA_LAKE_BUCKET.datasetsPrefix}${runId}/training-set.bin`;
/** Where runs stored their training set before the binary form (one JSON text): the lineage of older models reads it there. */
export const legacyDatasetKeyFor = (runId: string): string => `${DATA_LAKE_BUCKET.datasetsPrefix}${runId}/training-set.json`;
/** An intermediate object of a training run, e.g. `folds/3.json` or `shards/0.json`. */
export const runObjectKeyFor = (runId: string, name: string): string => `${DATA_LAKE_BUCKET.datasetsPrefix}${runId}/${name}`;

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

/** Stores a version's model card and its HTML page; returns the two keys. */
export async function putModelCard(bucket: string, version: string, json: string, html: string): Promise<{ key: string; pageKey: string }> {
  const key = modelCardKeyFor(version);
  const pageKey = modelCardPageKeyFor(version);
  await Promise.all([putText(bucket, key, json), putText(bucket, pageKey, html, 'text/html; charset=utf-8')]);
  return { key, pageKey };
}

export async function putDataset(bucket: string, runId: string, bytes: Uint8Array): Promise<string> {
  const key = datasetKeyFor(runId);
  await putBytes(bucket, key, bytes);
  return key;
}

export async function putDrift(bucket: string, version: string, text: string): Promise<string> {
  const key = driftKeyFor(version);
  await putText(bucket, key, text);
  return key;
}

export async function putRunObject(bucket: string, runId: string, name: string, text: string): Promise<string> {
  const key = runObjectKeyFor(runId, name);
  await putText(bucket, key, text);
  return key;
}
