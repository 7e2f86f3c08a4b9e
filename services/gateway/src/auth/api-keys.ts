import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `tthc_<8 chars>_<43 chars>`: the middle part finds the row, the whole key
 * is checked against a SHA-256 hash (keys are 256 random bits, so a plain hash is enough; the
 * key itself is shown once and never stored).
 */
const KEY = /^tthc_([A-Za-z0-9]{8})_([A-Za-z0-9_-]{32,})$/;

export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const prefix = randomBytes(6).toString('base64url').replace(/[-_]/g, 'x').slice(0, 8);
  const key = `tthc_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: hashKey(key) };
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function parseKey(key: string): { prefix: string } | undefined {
  const m = KEY.exec(key);
  return m ? { prefix: m[1]! } : undefined;
}

export function keyMatches(key: string, hash: string): boolean {
  const a = Buffer.from(hashKey(key), 'hex');
  const b = Buffer.from(hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
