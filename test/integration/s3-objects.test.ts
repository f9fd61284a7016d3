// The S3 text helpers on s3rver: a round trip, and a missing key as ObjectMissingError.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getText, ObjectMissingError, putText } from '../../lib/adapters/s3/objects.ts';
import { useEmulators } from '../helpers/emulators.ts';

const emu = useEmulators();

test('text written is read back as written', async () => {
  const bucket = emu().env.DATA_BUCKET!;
  await putText(bucket, 'models/v1/model-summary.txt', 'Grüße, 1 % risk\n', 'text/plain; charset=utf-8');
  assert.equal(await getText(bucket, 'models/v1/model-summary.txt'), 'Grüße, 1 % risk\n');
});

test('a missing key is an ObjectMissingError naming the object', async () => {
  const bucket = emu().env.DATA_BUCKET!;
  await assert.rejects(getText(bucket, 'models/nope/model.json'), (err: unknown) => {
    assert.ok(err instanceof ObjectMissingError);
    assert.equal(err.message, `s3://${bucket}/models/nope/model.json does not exist`);
    return true;
  });
});
