import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import type { PriceSeries } from '../../../lib/domain/prices/price-series.ts';
import { hashCanonical } from '../../../lib/domain/scoring/input-hash.ts';
import { parseSeriesDocument, SeriesDocumentError, seriesCopy, seriesDocument, seriesHash } from '../../../lib/domain/scoring/series-document.ts';

const ohlc: PriceSeries = {
  symbol: 'XTS',
  dates: ['2007-01-02', '2007-01-03', '2007-01-04'],
  close: Float64Array.of(50.19, 50.23, 0.1 + 0.2),
  open: Float64Array.of(50.04, 50.23, 50.42),
  high: Float64Array.of(50.42, 50.42, 50.42),
  low: Float64Array.of(50.04, 50.07, 0.1),
  volume: Float64Array.of(1e6, 0, 12345.5),
};

test('a series round-trips through its document number for number, every column kept', () => {
  const { sha256, text } = seriesCopy(ohlc);
  const back = parseSeriesDocument(text());
  assert.deepEqual(back, ohlc);
  assert.equal(back.close[2], 0.30000000000000004, 'the shortest round-tripping text of a double');
  assert.equal(sha256, hashCanonical(seriesDocument(ohlc)));
  assert.equal(seriesHash(ohlc), sha256);
  assert.equal(`sha256:${createHash('sha256').update(text()).digest('hex')}`, sha256, 'the hash is of the text stored');
});

test('the hash changes with any number, date or symbol; a close-only series has no other columns', () => {
  const plain: PriceSeries = { dates: ['2024-01-02', '2024-01-03'], close: Float64Array.of(1, 2) };
  assert.equal(seriesCopy(plain).text(), '{"close":[1,2],"dates":["2024-01-02","2024-01-03"],"symbol":null}');
  assert.notEqual(seriesHash({ ...plain, close: Float64Array.of(1, 2.0000000001) }), seriesHash(plain));
  // Same text lengths, other content: a remembered hash is never handed out for it.
  assert.equal(seriesHash({ ...plain, close: Float64Array.of(1, 3) }), hashCanonical(seriesDocument({ ...plain, close: Float64Array.of(1, 3) })));
  assert.equal(seriesHash(plain), hashCanonical(seriesDocument(plain)));
  assert.notEqual(seriesHash({ ...plain, symbol: 'A' }), seriesHash(plain));
  assert.notEqual(seriesHash({ ...plain, dates: ['2024-01-02', '2024-01-04'] }), seriesHash(plain));
});

test('a stored text that is not a series is refused, saying what is wrong', () => {
  assert.throws(() => parseSeriesDocument('{"dates":'), SeriesDocumentError);
  assert.throws(() => parseSeriesDocument('{"dates":["2024-01-02"],"close":[1,2]}'), /close is not an array of 1 finite numbers/);
  assert.throws(() => parseSeriesDocument('{"dates":["2024-01-02"],"close":[1],"open":["1"]}'), /open is not an array of 1 finite numbers/);
  assert.throws(() => parseSeriesDocument('[1]'), /dates is not an array of strings/);
});
