import { z } from 'zod';
import { problems } from './problem';

/** The If-Match header every optimistic update takes. */
export const IfMatchHeader = z.object({ 'if-match': z.string().max(40).optional() });

/** A row version as a strong ETag. */
export const etagOf = (version: number): string => `"${version}"`;

/**
 * Reads If-Match: `"3"`, `W/"3"` or `3`. Undefined when absent (the caller answers 428); a
 * value that is no ETag of ours is a 400 naming the header.
 */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const m = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
  if (!m) {
    throw problems.badRequest('invalid_if_match', 'If-Match must be an ETag this API gave', [
      { in: 'headers', pointer: '/if-match', detail: 'unreadable ETag' },
    ]);
  }
  return Number(m[1]);
}

/** A keyset cursor: the sort key values of the last row, opaque to clients. */
export function encodeKeyset(values: readonly string[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

/** Decodes a cursor of `arity` strings; a cursor this API did not give is a 400 naming it. */
export function decodeKeyset(
  cursor: string | undefined,
  arity: number,
  valid: (values: string[]) => boolean = () => true,
): string[] | undefined {
  if (!cursor) return undefined;
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(values) &&
      values.length === arity &&
      values.every((v) => typeof v === 'string') &&
      valid(values as string[])
    ) {
      return values as string[];
    }
  } catch {
    /* fall through */
  }
  throw problems.badRequest('invalid_cursor', 'the cursor is not one this API gave', [
    { in: 'query', pointer: '/cursor', detail: 'unreadable cursor' },
  ]);
}

/** The common keyset of time-ordered lists: an instant and a UUID breaking ties. */
export function encodeInstantId(at: Date, id: string): string {
  return encodeKeyset([at.toISOString(), id]);
}

export function decodeInstantId(cursor: string | undefined): { at: string; id: string } | undefined {
  const v = decodeKeyset(
    cursor,
    2,
    ([at, id]) => /^[0-9a-f-]{36}$/.test(id ?? '') && !Number.isNaN(Date.parse(at ?? '')),
  );
  return v ? { at: v[0]!, id: v[1]! } : undefined;
}
