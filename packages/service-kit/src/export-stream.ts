import { Readable } from 'node:stream';
import { z } from 'zod';
import { problems } from './problem';

/** One line of an export: the values of its columns, in order. */
export type ExportRow = Record<string, unknown>;

/** A page of rows after a key (keyset order), and the key of its last row. */
export type PageReader<K> = (
  after: K | null,
  limit: number,
) => Promise<{ rows: ExportRow[]; last: K | null }>;

const PAGE = 1000;

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text =
    value instanceof Date
      ? value.toISOString()
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function jsonValue(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

/**
 * Streams every row a keyset reader gives, page by page (never the whole range in memory), as
 * CSV (a header row, RFC 4180 quoting, UTF-8 with a byte-order mark so spreadsheet programs read
 * Vietnamese correctly) or as JSON lines.
 */
export function exportStream<K>(
  columns: readonly string[],
  format: 'csv' | 'jsonl',
  read: PageReader<K>,
): Readable {
  async function* lines() {
    if (format === 'csv') yield `\uFEFF${columns.join(',')}\r\n`;
    let after: K | null = null;
    for (;;) {
      const { rows, last } = await read(after, PAGE);
      let chunk = '';
      for (const row of rows) {
        chunk +=
          format === 'csv'
            ? `${columns.map((c) => csvCell(row[c])).join(',')}\r\n`
            : `${JSON.stringify(Object.fromEntries(columns.map((c) => [c, jsonValue(row[c])])))}\n`;
      }
      if (chunk) yield chunk;
      if (rows.length < PAGE || last === null) return;
      after = last;
    }
  }
  return Readable.from(lines());
}

export const EXPORT_CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  jsonl: 'application/jsonl; charset=utf-8',
} as const;

/** The query of every export: a range of whole days (UTC) and the format. */
export const ExportQuery = z
  .object({
    from: z.iso.date().meta({ description: 'first day (UTC), included', example: '2026-10-01' }),
    to: z.iso.date().meta({ description: 'last day (UTC), included', example: '2026-12-31' }),
    format: z.enum(['csv', 'jsonl']).default('csv'),
  })
  .meta({ examples: [{ from: '2026-10-01', to: '2026-12-31', format: 'csv' }] });

/** The instants an export covers: from the start of `from` to the end of `to`; 400 when reversed. */
export function exportRange(query: { from: string; to: string }): { from: Date; to: Date } {
  const from = new Date(`${query.from}T00:00:00Z`);
  const to = new Date(`${query.to}T00:00:00Z`);
  if (to < from)
    throw problems.badRequest('invalid_range', 'to is before from', [
      { in: 'query', pointer: '/to', detail: 'must not be before from' },
    ]);
  to.setUTCDate(to.getUTCDate() + 1);
  return { from, to };
}

/** The 200 answer of an export route in the spec. */
export const exportResponse = (columns: readonly string[]) =>
  z.unknown().meta({
    description: 'text/csv (with a header row) or application/jsonl, streamed',
    example: `${columns.join(',')}\r\n`,
  });
