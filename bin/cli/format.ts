/** Text and JSON output helpers of the CLI's commands. */

/** JSON with typed arrays as plain arrays and non-finite numbers as null. */
export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_k, v: unknown) => {
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
      if (typeof v === 'number' && !Number.isFinite(v)) return null;
      return v;
    },
    2,
  );
}

/** Formats a fraction as a percentage; null as "undefined". */
export function pct(v: number | null | undefined, digits = 2): string {
  return v === null || v === undefined ? 'undefined' : `${(v * 100).toFixed(digits)}%`;
}

/** Formats a plain number; null as "undefined". */
export function num(v: number | null | undefined, digits = 4): string {
  return v === null || v === undefined ? 'undefined' : v.toFixed(digits);
}

/** Renders sections of label/value rows as an aligned text table. */
export function table(sections: [string, [string, string][]][]): string {
  const width = Math.max(...sections.flatMap(([, rows]) => rows.map(([l]) => l.length)));
  const out: string[] = [];
  for (const [title, rows] of sections) {
    if (rows.length === 0) continue;
    out.push(title);
    for (const [l, v] of rows) out.push(`  ${l.padEnd(width)}  ${v}`);
    out.push('');
  }
  return out.join('\n').trimEnd();
}

/** `n noun`, the noun in the plural unless n is 1: "1 partition", "2 partitions", "0 bars". */
export function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
