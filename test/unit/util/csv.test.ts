/**
 * The one CSV reader/writer: RFC 4180 quoting, separators, sniffing, line numbers, and the
 * table checks (header names, ragged rows).
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CsvError, formatCsv, formatCsvChunks, parseCsv, parseCsvPieces, sniffSeparator, tokenizeCsv } from '../../../lib/util/csv.ts';

describe('tokenizeCsv', () => {
  test('quotes: separators, doubled quotes and line breaks inside a field', () => {
    const r = tokenizeCsv('a,b\n"x,1","say ""hi"""\n"two\nlines",3\n');
    assert.deepEqual(
      r.map((x) => x.fields),
      [
        ['a', 'b'],
        ['x,1', 'say "hi"'],
        ['two\nlines', '3'],
      ],
    );
    assert.deepEqual(
      r.map((x) => x.line),
      [1, 2, 3],
    );
  });
  test('LF, CRLF and CR line ends; a BOM; blank and space-only lines skipped; a record after a quoted break counts its lines', () => {
    const r = tokenizeCsv('\ufeffa;b\r\n1;2\r\r\n   \n"x\r\ny";4\r5;6');
    assert.deepEqual(
      r.map((x) => [x.line, ...x.fields]),
      [
        [1, 'a;b'],
        [2, '1;2'],
        [5, 'x\r\ny;4'],
        [7, '5;6'],
      ],
    );
    assert.deepEqual(tokenizeCsv('a;b\n1;2', ';')[1].fields, ['1', '2']);
  });
  test('fields are kept as written (no trimming); an empty quoted field is a record', () => {
    assert.deepEqual(tokenizeCsv(' a , b \n""\n')[0].fields, [' a ', ' b ']);
    assert.deepEqual(tokenizeCsv(' a , b \n""\n')[1].fields, ['']);
  });
  test('an unterminated quote is a CsvError naming its first line', () => {
    assert.throws(
      () => tokenizeCsv('a,b\n1,2\n"3,4\n5,6\n'),
      (e: unknown) => e instanceof CsvError && e.line === 3 && e.message === 'unterminated quoted field starting on line 3',
    );
  });
});

describe('sniffSeparator', () => {
  test('the most frequent of , ; tab in the first non-blank line, outside quotes', () => {
    assert.equal(sniffSeparator('Date,Close\n'), ',');
    assert.equal(sniffSeparator('\n\nDatum;Schluss\n1.2.2024;1,5\n'), ';');
    assert.equal(sniffSeparator('"a,b";"c"\n'), ';');
    assert.equal(sniffSeparator('a\tb\tc\n'), '\t');
    assert.equal(sniffSeparator('Return\n0.1\n'), ',');
    assert.equal(sniffSeparator('\ufeffa;b,c\n'), ',', 'a tie goes to the comma');
  });
});

describe('parseCsv', () => {
  test('quotes, CRLF, BOM and blank lines; rows and their file lines', () => {
    const t = parseCsv('\ufeffa,b\r\n"x,1","say ""hi"""\r\n\r\n2,3\n');
    assert.deepEqual(t.header, ['a', 'b']);
    assert.deepEqual(t.rows, [
      ['x,1', 'say "hi"'],
      ['2', '3'],
    ]);
    assert.deepEqual(t.lines, [2, 4]);
  });
  test('another separator', () => {
    assert.deepEqual(parseCsv('a;b\n1,5;2\n', 'f.csv', ';').rows, [['1,5', '2']]);
  });
  test('ragged rows, empty and duplicate header names, an empty file: CsvErrors naming the row or column', () => {
    const err = (text: string, message: string, line: number) =>
      assert.throws(
        () => parseCsv(text, 'f.csv'),
        (e: unknown) => e instanceof CsvError && e.message === message && e.line === line,
      );
    err('a,b\n1,2\n3\n', 'f.csv: row 2 (line 3) has 1 fields, the header has 2', 3);
    err('a,a\n1,2\n', "f.csv: the header names column 'a' twice", 1);
    err('a,,c\n1,2,3\n', 'f.csv: column 2 of the header has no name', 1);
    err('\n\n', 'f.csv: the file is empty (no header row)', 1);
    err('a\n"x\n', 'f.csv: unterminated quoted field starting on line 2', 2);
  });
});

describe('formatCsv', () => {
  test('quotes only what needs it; numbers in shortest round-trip form; LF and a final newline', () => {
    assert.equal(
      formatCsv(
        ['a', 'b,c'],
        [
          ['x"y', 0.1 + 0.2],
          ['line\nbreak', 1e21],
        ],
      ),
      'a,"b,c"\n"x""y",0.30000000000000004\n"line\nbreak",1e+21\n',
    );
    assert.equal(formatCsv(['a;b', 'c,d'], [], ';'), '"a;b";c,d\n');
  });
  test('what formatCsv writes, parseCsv reads back', () => {
    const rows = [
      ['1', 'a "quoted", value'],
      ['2', 'multi\nline'],
    ];
    const t = parseCsv(formatCsv(['id', 'text'], rows));
    assert.deepEqual(t.rows, rows);
  });
});

describe('tables in pieces (longer than one string can be)', () => {
  const header = ['date', 'name', 'x'];
  const rows = [
    ['2020-01-01', 'a,b', 1],
    ['2020-01-02', 'say "hi"', 0.1],
    ['2020-01-03', 'c', -2e-7],
    ['2020-01-06', 'd', 3],
    ['2020-01-07', 'e', 4],
  ];

  test('formatCsvChunks: whole lines, the header first; joined, the text formatCsv writes', () => {
    const chunks = formatCsvChunks(header, rows, ',', 2);
    assert.deepEqual(chunks, ['date,name,x\n2020-01-01,"a,b",1\n2020-01-02,"say ""hi""",0.1\n', '2020-01-03,c,-2e-7\n2020-01-06,d,3\n', '2020-01-07,e,4\n']);
    assert.equal(chunks.join(''), formatCsv(header, rows));
    assert.deepEqual(formatCsvChunks(header, [], ',', 2), ['date,name,x\n']);
  });

  test('parseCsvPieces: piece by piece, together the same rows and file lines as parsing the whole text', () => {
    const chunks = formatCsvChunks(header, rows, ',', 2);
    const pieces = [...parseCsvPieces(chunks)];
    const whole = parseCsv(chunks.join(''));
    assert.deepEqual(
      pieces.map((p) => p.lines),
      [[2, 3], [4, 5], [6]],
    );
    assert.ok(pieces.every((p) => p.header.join() === whole.header.join()));
    assert.deepEqual(
      pieces.flatMap((p) => p.rows),
      whole.rows,
    );
    // A first piece with the header alone: the next piece's rows start on line 2.
    assert.deepEqual(
      [...parseCsvPieces(['date,name,x\n', '2020-01-01,a,1\n'])].map((p) => p.lines),
      [[], [2]],
    );
  });

  test('a ragged row in a later piece is named, with where that piece starts in the file', () => {
    const chunks = formatCsvChunks(header, rows, ',', 2);
    chunks[2] = '2020-01-07,e\n';
    assert.throws(
      () => [...parseCsvPieces(chunks, 't.csv')],
      (e: unknown) =>
        e instanceof CsvError && /t\.csv: row 1 \(line 2\) has 2 fields, the header has 3 \(counting from line 6 of the file\)/.test(e.message) && e.line === 6,
    );
  });
});
