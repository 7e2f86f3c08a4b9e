import type { Identity } from '@tthc/contracts';
import { signIdentity } from '@tthc/service-kit';

/**
 * Signs identity assertions, reusing one for half its one-minute life: an HMAC per request is
 * cheap, but the same assertion for the same caller is cheaper still.
 */
export class IdentitySigner {
  private readonly cache = new Map<string, { token: string; until: number }>();

  constructor(private readonly secret: string) {}

  async sign(identity: Identity): Promise<string> {
    const key = JSON.stringify(identity);
    const hit = this.cache.get(key);
    const now = Date.now();
    if (hit && hit.until > now) return hit.token;
    const token = await signIdentity(this.secret, identity);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, { token, until: now + 30_000 });
    return token;
  }
}

/** A caller without credentials, on a public route. */
export const ANONYMOUS: Identity = {
  sub: 'anonymous',
  kind: 'anonymous',
  roles: [],
  agencyCode: null,
  agencyScope: null,
  person: null,
};
