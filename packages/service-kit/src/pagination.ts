import { z } from 'zod';

export const PageQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
};

export const encodeCursor = (key: string): string => Buffer.from(key, 'utf8').toString('base64url');
export const decodeCursor = (cursor: string | undefined): string | undefined =>
  cursor === undefined ? undefined : Buffer.from(cursor, 'base64url').toString('utf8');

/** Rows were fetched with limit + 1: the extra row says whether a next page exists. */
export function page<T>(
  rows: T[],
  limit: number,
  key: (row: T) => string,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(key(last)) : null };
}

/** The answer of a keyset-paginated list: a page of items, the cursor of the next, and the total when asked (?count=true). */
export function listPage<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: 'pass as ?cursor= for the next page; null on the last' }),
    total: z.number().int().optional().meta({ description: 'all matching items, with ?count=true' }),
  });
}

/**
 * Rows were fetched with limit + 1 in keyset order: the page, and the cursor of the next one
 * from the last row kept (none when the extra row did not come).
 */
export function keysetPage<R>(
  rows: R[],
  limit: number,
  cursorOf: (last: R) => string | null,
): { rows: R[]; nextCursor: string | null } {
  const kept = rows.slice(0, limit);
  const last = kept[kept.length - 1];
  return { rows: kept, nextCursor: rows.length > limit && last !== undefined ? cursorOf(last) : null };
}
