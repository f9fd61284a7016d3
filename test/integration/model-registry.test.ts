// The model registry on dynalite: the champion pointer's conditional write (a challenger
// compared against one champion can never overwrite another: a race between two workflow
// runs, or a stale state), the promotion history, newest-first listing with cursors, and the
// approval conditions.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  approveModelVersion,
  ChampionChangedError,
  getChampion,
  getModelVersion,
  InvalidCursorError,
  listModelVersions,
  ModelNotApprovableError,
  ModelVersionNotFoundError,
  markChampionVersion,
  promoteChampion,
  promotionHistory,
  recordApprovalRequest,
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

  // Only the two successful promotions are in the history, newest first (same promotedAt: by version).
  assert.deepEqual(await promotionHistory({ limit: 10 }), [
    { version: 'rf-b', previousVersion: 'rf-a', promotedAt: '2026-11-25T00:00:00.000Z', score: 0.6 },
    { version: 'rf-a', previousVersion: null, promotedAt: '2026-11-25T00:00:00.000Z', score: 0.6 },
  ]);
  assert.deepEqual(
    (await promotionHistory({ limit: 10, version: 'rf-a' })).map((p) => p.version),
    ['rf-b', 'rf-a'],
    'a version sees the promotion that made it champion and the one that replaced it',
  );
  assert.deepEqual(await promotionHistory({ limit: 1 }).then((h) => h.map((p) => p.version)), ['rf-b']);
});

test('a retry of the same execution finds its own pointer and finishes; another execution is refused', async () => {
  const before = await getChampion();
  const first = { version: 'rf-retry', artifactKey: 'models/rf-retry/model.json', score: 0.7, promotedAt: '2026-11-26T00:00:00.000Z', executionId: 'run-r' };
  assert.deepEqual(await promoteChampion(first, before!.version), first);
  const retried = await promoteChampion({ ...first, promotedAt: '2026-11-26T00:01:00.000Z' }, before!.version);
  assert.deepEqual(retried, first, 'the stored pointer, with the first attempt time');
  await assert.rejects(promoteChampion({ ...first, executionId: 'run-s' }, before!.version), ChampionChangedError);
  const history = (await promotionHistory({ limit: 10 })).filter((p) => p.version === 'rf-retry');
  assert.deepEqual(history, [{ version: 'rf-retry', previousVersion: before!.version, promotedAt: first.promotedAt, score: 0.7, executionId: 'run-r' }]);
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

const version = (v: string, status: 'candidate' | 'rejected' | 'champion', createdAt = '2026-11-20T00:00:00.000Z') => ({
  version: v,
  artifactKey: `models/${v}/model.json`,
  status,
  createdAt,
});

test('listing pages through versions newest first and filters by status', async () => {
  for (const [i, v] of ['rf-20261101T000000Z-000001', 'rf-20261102T000000Z-000002', 'rf-20261103T000000Z-000003', 'rf-20261104T000000Z-000004'].entries()) {
    await recordModelVersion(version(v, i % 2 === 0 ? 'rejected' : 'candidate'));
  }
  const first = await listModelVersions({ limit: 2 });
  const firstVersions = first.items.map((r) => r.version);
  assert.ok(first.nextCursor);
  const second = await listModelVersions({ limit: 2, cursor: first.nextCursor });
  const all = [...firstVersions, ...second.items.map((r) => r.version)];
  // The other tests' versions (rf-a, rf-r…) sort after the dated ones in reverse order: collect all.
  let cursor = second.nextCursor;
  while (cursor) {
    const page = await listModelVersions({ limit: 2, cursor });
    all.push(...page.items.map((r) => r.version));
    cursor = page.nextCursor;
  }
  assert.deepEqual(all, [...all].sort().reverse(), 'newest (largest) version first across pages');
  assert.equal(new Set(all).size, all.length, 'no version twice');
  assert.ok(all.includes('rf-20261101T000000Z-000001') && all.includes('rf-20261104T000000Z-000004'));

  const rejected = await listModelVersions({ limit: 1, status: 'rejected' });
  assert.deepEqual(
    rejected.items.map((r) => [r.version, r.status]),
    [['rf-20261103T000000Z-000003', 'rejected']],
  );
  const rest = await listModelVersions({ limit: 5, status: 'rejected', cursor: rejected.nextCursor });
  assert.deepEqual(
    rest.items.map((r) => r.version),
    ['rf-20261101T000000Z-000001'],
  );
  assert.equal(rest.nextCursor, null);
  await assert.rejects(listModelVersions({ limit: 2, cursor: 'not a cursor' }), InvalidCursorError);
});

test('approval: requested with a task token, approved once, refused for other statuses', async () => {
  await recordModelVersion(version('rf-ap', 'candidate', '2026-11-21T00:00:00.000Z'));
  assert.equal(await recordApprovalRequest('rf-ap', 'token-abc'), null);
  assert.equal((await getModelVersion('rf-ap'))?.status, 'awaiting-approval');

  const approved = await approveModelVersion('rf-ap', { approver: 'alice', at: '2026-11-22T00:00:00.000Z' });
  assert.equal(approved.status, 'approved');
  assert.equal(approved.taskToken, 'token-abc', 'the token comes back for the caller to send');
  assert.deepEqual(approved.approval, { approver: 'alice', at: '2026-11-22T00:00:00.000Z' });

  await assert.rejects(approveModelVersion('rf-ap', { approver: 'bob', at: '2026-11-23T00:00:00.000Z' }), (err: unknown) => {
    assert.ok(err instanceof ModelNotApprovableError);
    assert.equal(err.status, 'approved');
    return true;
  });
  await recordModelVersion(version('rf-rej', 'rejected'));
  await assert.rejects(approveModelVersion('rf-rej', { approver: 'bob', at: '2026-11-23T00:00:00.000Z' }), ModelNotApprovableError);
  await assert.rejects(approveModelVersion('rf-none', { approver: 'bob', at: '2026-11-23T00:00:00.000Z' }), ModelVersionNotFoundError);
  await assert.rejects(recordApprovalRequest('rf-none', 'token'), ModelVersionNotFoundError);

  // Approved before the workflow asked: the request keeps the approval and gets it back.
  await recordModelVersion(version('rf-pre', 'candidate'));
  await approveModelVersion('rf-pre', { approver: 'carol', at: '2026-11-23T00:00:00.000Z' });
  assert.deepEqual(await recordApprovalRequest('rf-pre', 'token-pre'), { approver: 'carol', at: '2026-11-23T00:00:00.000Z' });
  const pre = await getModelVersion('rf-pre');
  assert.equal(pre?.status, 'approved');
  assert.equal(pre?.taskToken, 'token-pre');
  assert.equal(await getModelVersion('rf-none'), null, 'nothing is created for an unknown version');

  // Promotion keeps createdAt and the approval, and drops the token.
  await markChampionVersion('rf-ap', {
    artifactKey: 'models/rf-ap/model.json',
    promotedAt: '2026-11-24T00:00:00.000Z',
    evaluation: { gate: { promote: true } },
  });
  const champion = await getModelVersion('rf-ap');
  assert.deepEqual(champion, {
    version: 'rf-ap',
    artifactKey: 'models/rf-ap/model.json',
    status: 'champion',
    createdAt: '2026-11-21T00:00:00.000Z',
    promotedAt: '2026-11-24T00:00:00.000Z',
    approval: { approver: 'alice', at: '2026-11-22T00:00:00.000Z' },
    evaluation: { gate: { promote: true } },
  });
  await markChampionVersion('rf-hand', { artifactKey: 'models/rf-hand/model.json', promotedAt: '2026-11-24T00:00:00.000Z' });
  assert.equal((await getModelVersion('rf-hand'))?.createdAt, '2026-11-24T00:00:00.000Z', 'a version never recorded gets one');
});

test('a rare status is still listed to the end when a page runs out of reads before it fills', async () => {
  await recordModelVersion({ ...version('rf-19000101T000000Z-000000', 'candidate'), status: 'retired' });
  for (let i = 0; i < 45; i++) await recordModelVersion(version(`rf-1950${String(i).padStart(4, '0')}T000000Z-000000`, 'candidate'));
  const found: string[] = [];
  let pages = 0;
  let cursor: string | null = null;
  do {
    const page = await listModelVersions({ limit: 1, status: 'retired', cursor });
    found.push(...page.items.map((r) => r.version));
    cursor = page.nextCursor;
    pages++;
  } while (cursor && pages < 20);
  assert.deepEqual(found, ['rf-r', 'rf-19000101T000000Z-000000']);
});
