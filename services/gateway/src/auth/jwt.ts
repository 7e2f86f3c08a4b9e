import { Role, type Identity } from '@tthc/contracts';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Config } from '../config';

export type TokenVerifier = (token: string) => Promise<Omit<Identity, 'agencyScope'>>;

/**
 * Verifies officers' bearer tokens from the province's identity provider: signature (JWKS or
 * HS256), issuer, audience and expiry; roles and agency from configurable claims.
 */
export function tokenVerifier(config: Config): TokenVerifier | undefined {
  let key: Uint8Array | JWTVerifyGetKey;
  if (config.JWT_JWKS_URL) key = createRemoteJWKSet(new URL(config.JWT_JWKS_URL));
  else if (config.JWT_HS256_SECRET) key = new TextEncoder().encode(config.JWT_HS256_SECRET);
  else return undefined;
  const options = {
    ...(config.JWT_ISSUER ? { issuer: config.JWT_ISSUER } : {}),
    ...(config.JWT_AUDIENCE ? { audience: config.JWT_AUDIENCE } : {}),
    algorithms: config.JWT_HS256_SECRET ? ['HS256'] : ['RS256', 'ES256', 'PS256'],
  };
  return async (token) => {
    const { payload } = await (typeof key === 'function'
      ? jwtVerify(token, key, options)
      : jwtVerify(token, key, options));
    const rawRoles = payload[config.JWT_ROLES_CLAIM];
    const roles = (
      Array.isArray(rawRoles) ? rawRoles : typeof rawRoles === 'string' ? [rawRoles] : []
    ).filter((r): r is Role => Role.safeParse(r).success);
    const agency = payload[config.JWT_AGENCY_CLAIM];
    if (!payload.sub) throw new Error('token has no subject');
    const name = payload[config.JWT_NAME_CLAIM];
    const unit = payload[config.JWT_UNIT_CLAIM];
    return {
      sub: payload.sub,
      kind: 'officer',
      roles,
      agencyCode: typeof agency === 'string' ? agency : null,
      // The officer is the person acting; without a name claim, the subject names them.
      person: {
        id: payload.sub.slice(0, 120),
        name: (typeof name === 'string' && name.trim() ? name.trim() : payload.sub)
          .normalize('NFC')
          .slice(0, 200),
        unit: typeof unit === 'string' && unit.trim() ? unit.trim().normalize('NFC').slice(0, 200) : null,
      },
    };
  };
}
