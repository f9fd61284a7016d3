import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CuratedObjectError, decodeCuratedObject, encodeCuratedObject } from '../../../lib/domain/lake/curated-object.ts';
import type { CuratedBar } from '../../../lib/schemas/price-bar.ts';

const b: CuratedBar = {
  symbol: 'DAX',
  date: '2024-01-02',
  open: 1,
  high: 2,
  low: 0.5,
  close: 1.5,
  source: 's',
  shardId: 'shardId-000000000000',
  sequenceNumber: '12',
  index: 3,
};

test('JSON Lines round trip with a fixed key order', () => {
  const text = encodeCuratedObject([b, { ...b, date: '2024-01-03', open: undefined, high: undefined, low: undefined }]);
  assert.equal(text.split('\n').length, 3);
  assert.ok(
    text.startsWith(
      '{"symbol":"DAX","date":"2024-01-02","open":1,"high":2,"low":0.5,"close":1.5,"source":"s","shardId":"shardId-000000000000","sequenceNumber":"12","index":3}\n',
    ),
  );
  const back = decodeCuratedObject('k', text);
  assert.deepEqual(back[0], b);
  assert.equal('open' in back[1]!, false);
});

test('a corrupt line names the object key and the 1-based line', () => {
  const text = `${encodeCuratedObject([b])}{"symbol":"DAX","date":"2024-01-03","close":-1}\n`;
  assert.throws(
    () => decodeCuratedObject('curated/x.jsonl', text),
    (err: unknown) => {
      assert.ok(err instanceof CuratedObjectError);
      assert.equal(err.line, 2);
      assert.match(err.message, /^curated\/x\.jsonl line 2: close: /);
      return true;
    },
  );
  assert.throws(() => decodeCuratedObject('k', 'not json\n'), /k line 1: not JSON/);
});
