import { Identity, IDENTITY_AUDIENCE, IDENTITY_ISSUER } from '@tthc/contracts';
import type { z } from 'zod';
import { jwtVerify, SignJWT } from 'jose';

const ALG = 'HS256';
/** An assertion lives for one hop; a minute covers clock skew between hosts. */
const TTL_SECONDS = 60;

function key(secret: string): Uint8Array {
  if (secret.length < 32) throw new Error('INTERNAL_AUTH_SECRET must be at least 32 characters');
  return new TextEncoder().encode(secret);
}

/** Signs the identity the gateway vouches for (HS256 JWT, one-minute life). */
export async function signIdentity(secret: string, identity: z.input<typeof Identity>): Promise<string> {
  return new SignJWT({
    kind: identity.kind,
    roles: identity.roles,
    agencyCode: identity.agencyCode,
    agencyScope: identity.agencyScope ?? null,
    person: identity.person ?? null,
    clientAddress: identity.clientAddress ?? null,
  })
    .setProtectedHeader({ alg: ALG })
    .setSubject(identity.sub)
    .setIssuer(IDENTITY_ISSUER)
    .setAudience(IDENTITY_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${TTL_SECONDS}s`)
    .sign(key(secret));
}

/** Verifies an assertion; throws when it is missing, forged, expired or malformed. */
export async function verifyIdentity(secret: string, token: string): Promise<Identity> {
  const { payload } = await jwtVerify(token, key(secret), {
    algorithms: [ALG],
    issuer: IDENTITY_ISSUER,
    audience: IDENTITY_AUDIENCE,
  });
  return Identity.parse({
    sub: payload.sub,
    kind: payload['kind'],
    roles: payload['roles'],
    agencyCode: payload['agencyCode'] ?? null,
    agencyScope: payload['agencyScope'] ?? null,
    person: payload['person'] ?? null,
    clientAddress: payload['clientAddress'] ?? null,
  });
}
