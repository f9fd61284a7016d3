// The champion pointer's conditional write on dynalite: a challenger compared against one
// champion can never overwrite another (a race between two workflow runs, or a stale state).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ChampionChangedError,
  getChampion,
  getModelVersion,
  promoteChampion,
  recordModelVersion,
  retireModelVersion,
} from '../../lib/adapters/dynamodb/model-registry.ts';
import { useEmulators } from '../helpers/emulators.ts';

useEmulators();

const pointer = (version: string) => ({ version, artifactKey: `models/${version}/model.json`, score: 0.6, promotedAt: '2026-11-25T00:00:00.000Z' });

test('the first champion needs an empty pointer; later ones need the champion they were compared with', async () => {
  assert.equal(await getChampion(), null);
  await promoteChampion(pointer('rf-a'), null);
  assert.equal((await getChampion())?.version, 'rf-a');

  await assert.rejects(promoteChampion(pointer('rf-b'), null), ChampionChangedError, 'a second "first" champion is refused');
  await assert.rejects(promoteChampion(pointer('rf-b'), 'rf-old'), (err: unknown) => {
    assert.ok(err instanceof ChampionChangedError);
    assert.equal(err.expectedVersion, 'rf-old');
    return true;
  });
  assert.equal((await getChampion())?.version, 'rf-a', 'refused promotions change nothing');

  await promoteChampion(pointer('rf-b'), 'rf-a');
  assert.deepEqual(await getChampion(), pointer('rf-b'));
});

test('retiring marks a recorded version and ignores an unknown one', async () => {
  await recordModelVersion({
    version: 'rf-r',
    artifactKey: 'models/rf-r/model.json',
    status: 'champion',
    createdAt: '2026-11-24T00:00:00.000Z',
    evaluation: { accuracy: 0.7 },
  });
  await retireModelVersion('rf-r', 'rf-s', '2026-11-25T00:00:00.000Z');
  const r = await getModelVersion('rf-r');
  assert.equal(r?.status, 'retired');
  assert.equal(r?.replacedBy, 'rf-s');
  assert.deepEqual(r?.evaluation, { accuracy: 0.7 }, 'the evaluation history is kept');

  await retireModelVersion('rf-unknown', 'rf-s', '2026-11-25T00:00:00.000Z');
  assert.equal(await getModelVersion('rf-unknown'), null, 'no record is created for an unknown version');
});
