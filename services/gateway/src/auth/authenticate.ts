import type { Identity } from '@tthc/contracts';
import { sendProblem, type ServiceApp } from '@tthc/service-kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ActingOfficerRefused, actingOfficerOf } from './acting-officer';
import { ANONYMOUS } from './identity-signer';
import type { AgencyScopes } from './agency-scope';
import { keyMatches, parseKey } from './api-keys';
import type { ApiKeyCache } from './key-cache';
import type { TokenVerifier } from './jwt';
import { allowed, type Access } from './access-table';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the gateway established the caller to be (anonymous on public routes). */
    caller: Identity;
    /** What the rate limit counts by: the key, the token's subject or the address. */
    principal: string;
  }
}

function credentialsOf(request: FastifyRequest): { apiKey?: string; bearer?: string } {
  const auth = request.headers.authorization;
  const header = request.headers['x-api-key'];
  if (typeof header === 'string') return { apiKey: header.trim() };
  if (typeof auth === 'string') {
    const [scheme, value] = auth.split(/\s+/, 2);
    if (scheme?.toLowerCase() === 'bearer' && value)
      return value.startsWith('tthc_') ? { apiKey: value } : { bearer: value };
    if (scheme?.toLowerCase() === 'apikey' && value) return { apiKey: value };
    // Browsers (the queue dashboard) sign in with Basic: any user name, the API key as password.
    if (scheme?.toLowerCase() === 'basic' && value) {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const key = decoded.slice(decoded.indexOf(':') + 1);
      if (key) return { apiKey: key };
    }
  }
  return {};
}

/**
 * Authenticates every /v1 request (API key or officer token), authorizes it against the role
 * table (the roles each operation of the merged document declares), and works out the agency scope the services will enforce. Answers 401 without valid
 * credentials on a protected route, 403 for a role that may not call it.
 */
export function installAuthentication(
  app: ServiceApp,
  deps: {
    keys: ApiKeyCache;
    verifyToken: TokenVerifier | undefined;
    scopes: AgencyScopes;
    clock: () => Date;
    /**
     * Who may make this call, from the merged document's `x-roles`; undefined while the
     * document of the service that owns the path has not been read yet.
     */
    access: (method: string, path: string) => Promise<Access | undefined>;
  },
): void {
  app.decorateRequest('caller', null as unknown as Identity);
  app.decorateRequest('principal', '');

  const unauthorized = (request: FastifyRequest, reply: FastifyReply, detail: string) =>
    sendProblem(
      request,
      reply.header(
        'www-authenticate',
        request.url.startsWith('/v1/admin/queues') ? 'Basic realm="TTHC"' : 'Bearer, ApiKey',
      ),
      {
        status: 401,
        code: 'unauthorized',
        title: 'Chưa xác thực',
        detail,
      },
    );

  const refusedOfficer = (request: FastifyRequest, reply: FastifyReply, err: ActingOfficerRefused) =>
    sendProblem(request, reply, {
      status: err.status,
      code: err.code,
      title: err.status === 403 ? 'Không có quyền' : 'Yêu cầu không hợp lệ',
      detail: err.message,
      ...(err.errors.length ? { errors: err.errors } : {}),
    });

  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    request.caller = { ...ANONYMOUS, clientAddress: request.ip };
    request.principal = `ip:${request.ip}`;
    // /metrics is the gateway's own, on the public port: for administrators (a scraper sends an
    // administrator key as a bearer token), like every route the role table does not list.
    if (!path.startsWith('/v1/') && path !== '/metrics') return;
    const access = await deps.access(request.method, path);
    if (access === undefined) {
      reply.header('retry-after', 5);
      return sendProblem(request, reply, {
        status: 503,
        code: 'upstream_unavailable',
        title: 'Dịch vụ tạm thời không khả dụng',
        detail: 'the service that answers this path has not published its operations yet; retry in 5 s',
      });
    }
    const creds = credentialsOf(request);
    let identity: Omit<Identity, 'agencyScope'> | undefined;
    if (creds.apiKey) {
      const parsed = parseKey(creds.apiKey);
      const row = parsed ? await deps.keys.find(parsed.prefix) : undefined;
      if (!row || !keyMatches(creds.apiKey, row.hash)) return unauthorized(request, reply, 'unknown API key');
      if (row.revoked_at) return unauthorized(request, reply, 'the API key was revoked');
      if (row.expires_at && row.expires_at <= deps.clock())
        return unauthorized(request, reply, 'the API key has expired');
      deps.keys.used(row);
      identity = {
        sub: `key:${row.owner}:${row.prefix}`,
        kind: 'system',
        roles: row.roles,
        agencyCode: row.agency_code,
        person: null,
      };
      try {
        identity.person = actingOfficerOf(request.headers, {
          kind: 'key',
          mayStateOfficer: row.may_state_officer,
        });
      } catch (err) {
        if (!(err instanceof ActingOfficerRefused)) throw err;
        return refusedOfficer(request, reply, err);
      }
      request.principal = `key:${row.id}`;
    } else if (creds.bearer) {
      try {
        if (!deps.verifyToken) throw new Error('officer tokens are not configured on this gateway');
        identity = await deps.verifyToken(creds.bearer);
        request.principal = `sub:${identity.sub}`;
        actingOfficerOf(request.headers, { kind: 'token' });
      } catch (err) {
        if (err instanceof ActingOfficerRefused) return refusedOfficer(request, reply, err);
        // On a public route a bearer that is no officer token is the service's own credential
        // (a delivery callback's shared token): passed on for the service to judge, granting nothing here.
        if (access !== 'public') {
          return unauthorized(
            request,
            reply,
            deps.verifyToken ? 'the token is invalid or expired' : (err as Error).message,
          );
        }
      }
    }
    if (!identity) {
      if (access === 'public') return;
      return unauthorized(
        request,
        reply,
        'send an API key (X-API-Key) or an officer token (Authorization: Bearer)',
      );
    }
    if (!allowed(access, identity.roles)) {
      return sendProblem(request, reply, {
        status: 403,
        code: 'forbidden',
        title: 'Không có quyền',
        detail: `roles ${identity.roles.join(', ') || '(none)'} may not ${request.method} ${path}`,
      });
    }
    request.caller = {
      ...identity,
      agencyScope: await deps.scopes.scopeOf(identity),
      clientAddress: request.ip,
    };
    return undefined;
  });
}
