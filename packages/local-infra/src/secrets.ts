import crypto from 'node:crypto';

/** 48 random bytes, base64url-encoded (64 characters). */
export function randomSecret(): string {
  return crypto.randomBytes(48).toString('base64url');
}

/** Replace the password of a URL with ****, for printing. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '****';
    return u.toString();
  } catch {
    return String(url).replace(/\/\/([^:/@]*):[^@]*@/, '//$1:****@');
  }
}
