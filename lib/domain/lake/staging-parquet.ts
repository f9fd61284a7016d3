/**
 * A second Parquet writer, for staging objects only: the bar schema (./bar-schema.ts) written the
 * simplest way the format allows — one row group, one DATA_PAGE (v1) per column, PLAIN values,
 * definition levels as RLE runs, no compression, no statistics, no dictionary.
 *
 * Why a second writer: the general one (./parquet-bars.ts, hyparquet-writer) has a measured fixed
 * cost of ~300 µs per file whatever its size (generic thrift serialisation, statistics, dictionary
 * trials). Ingest writes one small staging object per invocation and (symbol, year), and when it
 * wrote one per record that fixed cost was 97 % of the ingest path for the usual one-bar record.
 * Staging objects are read only by the lake reader and by compaction (never by Athena, never
 * compared byte for byte), so statistics and compression buy nothing there; compacted objects keep
 * the general writer.
 *
 * Contract, checked by tests (test/unit/lake/staging-parquet.test.ts): a property test proves the
 * lake codec decodes what this writes into exactly the rows `encodeBars` would give (same order:
 * compareLakeRows); an independent reader sees the same physical schema; the same rows give the
 * same bytes.
 */
import { BAR_COLUMNS, type BarColumn, type LakeBar, parquetSchema } from './bar-schema.ts';
import { compareLakeRows } from './parquet-bars.ts';

// Thrift compact protocol type ids.
const T_BOOL_TRUE = 1;
const T_I32 = 5;
const T_I64 = 6;
const T_BINARY = 8;
const T_LIST = 9;
const T_STRUCT = 12;

// Parquet enum values (parquet.thrift).
const TYPE = { BOOLEAN: 0, INT32: 1, INT64: 2, INT96: 3, FLOAT: 4, DOUBLE: 5, BYTE_ARRAY: 6, FIXED_LEN_BYTE_ARRAY: 7 } as const;
const REPETITION = { REQUIRED: 0, OPTIONAL: 1, REPEATED: 2 } as const;
const CONVERTED = { UTF8: 0, DATE: 6, TIMESTAMP_MILLIS: 9 } as const;
const PLAIN = 0;
const RLE = 3;
const UNCOMPRESSED = 0;
const DATA_PAGE = 0;

/** Days since 1970-01-01 of a valid `YYYY-MM-DD` date (proleptic Gregorian; days-from-civil, without a Date). */
function epochDay(date: string): number {
  const digit = (i: number) => date.charCodeAt(i) - 48;
  let y = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3);
  const m = digit(5) * 10 + digit(6);
  const d = digit(8) * 10 + digit(9);
  if (m <= 2) y -= 1;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}
const utf8 = new TextEncoder();

/** An append-only byte buffer with the thrift compact primitives the file needs. */
class Bytes {
  buf = new Uint8Array(2048);
  view = new DataView(this.buf.buffer);
  length = 0;

  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.length++] = b;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  u32le(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.length, v, true);
    this.length += 4;
  }

  i32le(v: number): void {
    this.ensure(4);
    this.view.setInt32(this.length, v, true);
    this.length += 4;
  }

  i64le(v: number): void {
    this.ensure(8);
    this.view.setBigInt64(this.length, BigInt(v), true);
    this.length += 8;
  }

  f64le(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.length, v, true);
    this.length += 8;
  }

  varint(v: number): void {
    // Non-negative values below 2^53 (sizes, offsets, zigzag of small ints).
    while (v >= 0x80) {
      this.byte((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.byte(v);
  }

  zigzag(v: number): void {
    this.varint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  bin(b: Uint8Array): void {
    this.varint(b.length);
    this.bytes(b);
  }

  /** PLAIN BYTE_ARRAY of a string: 4-byte little-endian UTF-8 length, then the UTF-8 bytes (ASCII copied directly). */
  str32(text: string): void {
    this.ensure(4 + text.length * 3);
    const start = this.length + 4;
    let n = 0;
    for (; n < text.length; n++) {
      const c = text.charCodeAt(n);
      if (c >= 0x80) break;
      this.buf[start + n] = c;
    }
    if (n < text.length) n = utf8.encodeInto(text, this.buf.subarray(start)).written;
    this.view.setUint32(this.length, n, true);
    this.length = start + n;
  }

  reset(): this {
    this.length = 0;
    return this;
  }

  out(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** Writes thrift compact struct fields in ascending field id order. */
class Struct {
  /** @param last the id of the field written before (field headers are deltas from it) */
  constructor(
    private readonly w: Bytes,
    private last = 0,
  ) {}

  private header(id: number, type: number): void {
    const delta = id - this.last;
    if (delta > 0 && delta <= 15) this.w.byte((delta << 4) | type);
    else {
      this.w.byte(type);
      this.w.zigzag(id);
    }
    this.last = id;
  }

  i32(id: number, v: number): this {
    this.header(id, T_I32);
    this.w.zigzag(v);
    return this;
  }

  i64(id: number, v: number): this {
    this.header(id, T_I64);
    this.w.zigzag(v);
    return this;
  }

  bool(id: number, v: true): this {
    this.header(id, v ? T_BOOL_TRUE : T_BOOL_TRUE + 1);
    return this;
  }

  binary(id: number, v: Uint8Array): this {
    this.header(id, T_BINARY);
    this.w.bin(v);
    return this;
  }

  struct(id: number, body: (s: Struct) => void): this {
    this.header(id, T_STRUCT);
    const s = new Struct(this.w);
    body(s);
    s.end();
    return this;
  }

  list(id: number, elemType: number, n: number, each: (i: number) => void): this {
    this.header(id, T_LIST);
    if (n < 15) this.w.byte((n << 4) | elemType);
    else {
      this.w.byte(0xf0 | elemType);
      this.w.varint(n);
    }
    for (let i = 0; i < n; i++) each(i);
    return this;
  }

  /** A list of structs. */
  structs(id: number, n: number, body: (s: Struct, i: number) => void): this {
    return this.list(id, T_STRUCT, n, (i) => {
      const s = new Struct(this.w);
      body(s, i);
      s.end();
    });
  }

  /** A field already encoded (header included) against the previous field `id - 1`. */
  encoded(id: number, bytes: Uint8Array): this {
    if (this.last !== id - 1) throw new Error(`field ${id} was encoded after field ${id - 1}, not ${this.last}`);
    this.w.bytes(bytes);
    this.last = id;
    return this;
  }

  end(): void {
    this.w.byte(0);
  }
}

/** FileMetaData field 2 (the schema) never changes: encoded once, as written after field 1. */
let schemaBytes: Uint8Array | undefined;
function encodedSchema(): Uint8Array {
  if (schemaBytes) return schemaBytes;
  const w = new Bytes();
  const elements = parquetSchema();
  new Struct(w, 1).structs(2, elements.length, (s, i) => {
    const el = elements[i]!;
    if (el.type !== undefined) s.i32(1, TYPE[el.type]);
    if (el.repetition_type !== undefined) s.i32(3, REPETITION[el.repetition_type]);
    s.binary(4, utf8.encode(el.name));
    if (el.num_children !== undefined) s.i32(5, el.num_children);
    if (el.converted_type !== undefined) s.i32(6, CONVERTED[el.converted_type as keyof typeof CONVERTED]);
    const logical = el.logical_type;
    if (logical) {
      s.struct(10, (u) => {
        if (logical.type === 'STRING') u.struct(1, () => undefined);
        else if (logical.type === 'DATE') u.struct(6, () => undefined);
        else if (logical.type === 'TIMESTAMP') {
          u.struct(8, (t) => {
            t.bool(1, true);
            t.struct(2, (unit) => unit.struct(1, () => undefined)); // MILLIS
          });
        }
      });
    }
  });
  schemaBytes = w.out();
  return schemaBytes;
}

/** Scratch buffers reused by every call (the function is synchronous). */
const pageBody = new Bytes();
const pageLevels = new Bytes();
const COLUMN_NAMES = BAR_COLUMNS.map((c) => utf8.encode(c.name));

/** Appends one column chunk (page header + page) for `rows` to `file`. */
function writeColumnPage(file: Bytes, c: BarColumn, rows: readonly LakeBar[]): void {
  const data = pageBody.reset();
  if (c.nullable) {
    // Definition levels (bit width 1) as RLE runs, prefixed by their byte length.
    const levels = pageLevels.reset();
    let i = 0;
    while (i < rows.length) {
      const defined = rows[i]![c.field] !== null;
      let j = i + 1;
      while (j < rows.length && (rows[j]![c.field] !== null) === defined) j++;
      levels.varint((j - i) * 2);
      levels.byte(defined ? 1 : 0);
      i = j;
    }
    data.u32le(levels.length);
    data.bytes(levels.buf.subarray(0, levels.length));
  }
  const field = c.field;
  switch (c.glue) {
    case 'string':
      for (const row of rows) if (row[field] !== null) data.str32(row[field] as string);
      break;
    case 'date':
      for (const row of rows) data.i32le(epochDay(row[field] as string));
      break;
    case 'double':
      for (const row of rows) if (row[field] !== null) data.f64le(row[field] as number);
      break;
    case 'int':
      for (const row of rows) data.i32le(row[field] as number);
      break;
    case 'timestamp':
    case 'bigint':
      for (const row of rows) data.i64le(row[field] as number);
      break;
  }
  new Struct(file)
    .i32(1, DATA_PAGE)
    .i32(2, data.length)
    .i32(3, data.length)
    .struct(5, (h) => h.i32(1, rows.length).i32(2, PLAIN).i32(3, RLE).i32(4, RLE))
    .end();
  file.bytes(data.buf.subarray(0, data.length));
}

/**
 * Encodes lake rows (already valid: built by planRecord) as a staging Parquet object. The rows
 * are sorted with compareLakeRows, as encodeBars sorts them. Same rows → same bytes.
 */
export function encodeStagingBars(rows: readonly LakeBar[]): Uint8Array {
  const sorted = [...rows].sort(compareLakeRows);
  const file = new Bytes();
  file.bytes(MAGIC);
  const chunks: { offset: number; size: number }[] = [];
  for (const c of BAR_COLUMNS) {
    const offset = file.length;
    writeColumnPage(file, c, sorted);
    chunks.push({ offset, size: file.length - offset });
  }
  const footerStart = file.length;
  new Struct(file)
    .i32(1, 1)
    .encoded(2, encodedSchema())
    .i64(3, sorted.length)
    .structs(4, 1, (rg) => {
      rg.structs(1, BAR_COLUMNS.length, (cc, i) => {
        const c = BAR_COLUMNS[i]!;
        const { offset, size } = chunks[i]!;
        cc.i64(2, offset).struct(3, (md) => {
          md.i32(1, TYPE[c.parquet.type])
            .list(2, T_I32, c.nullable ? 2 : 1, (k) => file.zigzag(k === 0 ? PLAIN : RLE))
            .list(3, T_BINARY, 1, () => file.bin(COLUMN_NAMES[i]!))
            .i32(4, UNCOMPRESSED)
            .i64(5, sorted.length)
            .i64(6, size)
            .i64(7, size)
            .i64(9, offset);
        });
      })
        .i64(
          2,
          chunks.reduce((n, ch) => n + ch.size, 0),
        )
        .i64(3, sorted.length);
    })
    .binary(6, CREATED_BY)
    .end();
  file.u32le(file.length - footerStart);
  file.bytes(MAGIC);
  return file.out();
}

const MAGIC = utf8.encode('PAR1');
const CREATED_BY = utf8.encode('riskfn');
