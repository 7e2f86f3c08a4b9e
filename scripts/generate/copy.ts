import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** A value as COPY's text format writes it: \N for null, JSON for objects, ISO for instants. */
function field(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  const s =
    v instanceof Date
      ? v.toISOString()
      : typeof v === 'object'
        ? JSON.stringify(v)
        : typeof v === 'string'
          ? v
          : String(v);
  // The text format's escapes: backslash, tab, newline, carriage return.
  return s.replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );
}

/**
 * Writes rows into schema.table with COPY FROM STDIN (text format), the columns in the order
 * given: the bulk path of the data generator, hundreds of thousands of rows a second.
 */
export async function copyRows(
  client: pg.PoolClient,
  schema: string,
  table: string,
  columns: readonly string[],
  rows: readonly Record<string, unknown>[],
): Promise<void> {
  if (rows.length === 0) return;
  const target = `"${schema}"."${table}" (${columns.map((c) => `"${c}"`).join(', ')})`;
  const stream = client.query(copyFrom(`COPY ${target} FROM STDIN`));
  function* lines() {
    for (const r of rows) yield `${columns.map((c) => field(r[c])).join('\t')}\n`;
  }
  await pipeline(Readable.from(lines()), stream);
}
