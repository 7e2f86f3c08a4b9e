import { PROTECTED_SECURITY, rolesFromDocument } from '@tthc/service-kit';

/** A minimal view of an OpenAPI 3 document: what the merge reads and writes. */
export interface OpenApiDoc {
  openapi: string;
  info: {
    title: string;
    version: string;
    description?: string;
    contact?: { name: string; email?: string };
    license?: { name: string; identifier: string };
  };
  tags?: { name: string; description?: string }[];
  paths?: Record<string, unknown>;
  components?: { schemas?: Record<string, unknown>; [section: string]: Record<string, unknown> | undefined };
  [k: string]: unknown;
}

const stable = (v: unknown) => JSON.stringify(v);

const PROBLEM = { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } } };
const header = (name: string) => ({ $ref: `#/components/headers/${name}` });

/** Headers the gateway adds to every answer of a proxied operation: its rate limit, counted per caller. */
const RATE_LIMIT_HEADERS = {
  'X-RateLimit-Limit': header('RateLimitLimit'),
  'X-RateLimit-Remaining': header('RateLimitRemaining'),
  'X-RateLimit-Reset': header('RateLimitReset'),
};
const GATEWAY_HEADERS: Record<string, unknown> = {
  RateLimitLimit: {
    description: 'Requests this caller (key, officer or address) may make in the current minute',
    schema: { type: 'integer', format: 'int32', example: 600 },
  },
  RateLimitRemaining: {
    description: 'Requests left in the current minute',
    schema: { type: 'integer', format: 'int32', example: 599 },
  },
  RateLimitReset: {
    description: 'Seconds until the current minute’s count starts again',
    schema: { type: 'integer', format: 'int32', example: 42 },
  },
  RetryAfter: {
    description: 'Seconds to wait before trying again',
    schema: { type: 'integer', format: 'int32', example: 5 },
  },
  WwwAuthenticate: {
    description: 'The schemes this API takes: Bearer (an officer token, or an API key) and ApiKey',
    schema: { type: 'string', example: 'Bearer, ApiKey' },
  },
};
const problemWith = (description: string, headers: Record<string, unknown>) => ({
  description,
  headers,
  content: PROBLEM,
});
const RETRY_AFTER = { 'Retry-After': header('RetryAfter') };

/** How callers authenticate at the gateway (services/gateway/src/auth/authenticate.ts). */
export const SECURITY_SCHEMES = {
  ApiKey: {
    type: 'apiKey',
    in: 'header',
    name: 'X-API-Key',
    description:
      'An API key issued by an administrator (tthc_...), for systems: the portal, desk software, reporting tools. It may also be sent as `Authorization: Bearer tthc_...` or `Authorization: ApiKey tthc_...`. A key an administrator allowed to (`mayStateOfficer`) names the officer acting on its behalf in `X-Acting-Officer-Id`, `X-Acting-Officer-Name` and optionally `X-Acting-Officer-Unit`, each percent-encoded UTF-8; the audit trail and the slips then name that person. Any other caller sending them gets 403 `acting-officer-not-allowed`; a missing or malformed value 400 `invalid-acting-officer`.',
  },
  Bearer: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: "An officer's token from the department's identity provider; its roles and agency say what it may do.",
  },
};

/**
 * What the gateway itself may answer on any proxied operation, whatever the service declares:
 * a refused credential (401), a role that may not call it (403, protected operations only), its
 * rate limit (429) and load shedding (503), with Retry-After.
 */
function gatewayResponses(isPublic: boolean): Record<string, unknown> {
  return {
    '401': problemWith(
      isPublic
        ? 'The credentials sent are unknown, revoked or expired (RFC 9457); the operation needs none'
        : 'No credentials, or unknown, revoked or expired ones (RFC 9457)',
      { 'WWW-Authenticate': header('WwwAuthenticate') },
    ),
    ...(isPublic ? {} : { '403': problemWith('Your roles or agency do not allow this (RFC 9457)', {}) }),
    '429': problemWith('Too many requests for this key, token or address (RFC 9457)', RETRY_AFTER),
    '503': problemWith('The gateway is overloaded or the service is unavailable (RFC 9457)', RETRY_AFTER),
  };
}

function withGateway(path: string, item: unknown): unknown {
  const methods = item as Record<string, { responses?: Record<string, any>; security?: unknown; 'x-roles'?: unknown }>;
  return Object.fromEntries(
    Object.entries(methods).map(([method, op]) => {
      if (typeof op !== 'object' || op === null || !op.responses) return [method, op];
      // Outside /v1 (the problem type pages) nothing is authenticated; in it, an operation is
      // public when its service declares it so (x-roles), else for its roles (administrators
      // only when it declares none, as the gateway's role table treats it).
      const isPublic = !path.startsWith('/v1/') || rolesFromDocument(op['x-roles']) === 'public';
      const responses = { ...op.responses };
      for (const [status, response] of Object.entries(gatewayResponses(isPublic))) {
        const declared = responses[status] as { headers?: Record<string, unknown> } | undefined;
        const ours = response as { headers: Record<string, unknown> };
        responses[status] = declared ? { ...declared, headers: { ...declared.headers, ...ours.headers } } : response;
      }
      for (const [status, response] of Object.entries(responses)) {
        responses[status] = {
          ...response,
          headers: { ...response.headers, ...RATE_LIMIT_HEADERS, 'X-Request-Id': header('XRequestId') },
        };
      }
      const sorted = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
      const security = isPublic ? [] : PROTECTED_SECURITY;
      return [method, { ...op, security, responses: sorted }];
    }),
  );
}

/**
 * Merges the services' specs into the one the gateway publishes: their /v1 paths, tags and
 * component schemas. Two services declaring the same schema name with different contents is
 * a contract error and fails loudly rather than publishing one of them silently.
 */
export function mergeOpenApi(docs: { service: string; doc: OpenApiDoc }[], info: OpenApiDoc['info']): OpenApiDoc {
  const paths: Record<string, unknown> = {};
  const components: Record<string, Record<string, unknown>> = { headers: { ...GATEWAY_HEADERS } };
  const owner: Record<string, string> = {};
  const tags = new Map<string, { name: string; description?: string }>();
  for (const { service, doc } of docs) {
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      if (!path.startsWith('/v1/') && !path.startsWith('/problems')) continue;
      if (paths[path]) throw new Error(`path ${path} is declared by two services`);
      paths[path] = withGateway(path, item);
    }
    for (const [section, entries] of Object.entries(doc.components ?? {})) {
      const merged = (components[section] ??= {});
      for (const [name, value] of Object.entries(entries ?? {})) {
        const at = `${section}/${name}`;
        if (name in merged && owner[at] && stable(merged[name]) !== stable(value)) {
          throw new Error(`${section === 'schemas' ? 'schema' : section} ${name} differs between ${owner[at]} and ${service}`);
        }
        merged[name] = value;
        owner[at] ??= service;
      }
    }
    for (const tag of doc.tags ?? []) if (!tags.has(tag.name)) tags.set(tag.name, tag);
  }
  const sortedPaths = Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b)));
  const sortedComponents = Object.fromEntries(
    Object.entries(components)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([section, entries]) => [
        section,
        Object.fromEntries(Object.entries(entries).sort(([a], [b]) => a.localeCompare(b))),
      ]),
  );
  return {
    openapi: docs[0]?.doc.openapi ?? '3.1.0',
    info,
    servers: [{ url: '/', description: 'this gateway' }],
    tags: [...tags.values()],
    paths: sortedPaths,
    components: { ...sortedComponents, securitySchemes: SECURITY_SCHEMES },
  };
}

export const MERGED_INFO: OpenApiDoc['info'] = {
  title: 'TTHC Sở Y tế API',
  version: '0.1.0',
  description:
    'Thủ tục hành chính, hồ sơ một cửa, chỉ số và báo cáo của Sở Y tế. Every error is RFC 9457 application/problem+json.',
  // Each deployment is one department's; who answers for it is theirs to fill in.
  contact: { name: 'Sở Y tế: the department that runs this deployment' },
  license: { name: 'Proprietary: for the department and its integrators', identifier: 'LicenseRef-Proprietary' },
};
