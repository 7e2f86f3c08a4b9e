/** A minimal view of an OpenAPI 3 document: what the merge reads and writes. */
export interface OpenApiDoc {
  openapi: string;
  info: { title: string; version: string; description?: string };
  tags?: { name: string; description?: string }[];
  paths?: Record<string, unknown>;
  components?: { schemas?: Record<string, unknown>; [k: string]: unknown };
  [k: string]: unknown;
}

const stable = (v: unknown) => JSON.stringify(v);

const RETRY_AFTER = {
  'Retry-After': {
    description: 'Seconds to wait before trying again',
    schema: { type: 'integer', example: 5 },
  },
};
const problemWithRetry = (description: string) => ({
  description,
  headers: RETRY_AFTER,
  content: {
    'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } },
  },
});
/**
 * What the gateway itself may answer on any proxied operation, whatever the service declares:
 * its rate limit (429) and load shedding (503), both with Retry-After.
 */
const GATEWAY_RESPONSES: Record<string, unknown> = {
  '429': problemWithRetry('Too many requests for this key, token or address (RFC 9457)'),
  '503': problemWithRetry('The gateway is overloaded or the service is unavailable (RFC 9457)'),
};

function withGatewayResponses(item: unknown): unknown {
  const methods = item as Record<string, { responses?: Record<string, unknown> }>;
  return Object.fromEntries(
    Object.entries(methods).map(([method, op]) => {
      if (typeof op !== 'object' || op === null || !op.responses) return [method, op];
      const responses = { ...op.responses };
      for (const [status, response] of Object.entries(GATEWAY_RESPONSES)) {
        const declared = responses[status] as { headers?: Record<string, unknown> } | undefined;
        responses[status] = declared
          ? { ...declared, headers: { ...declared.headers, ...RETRY_AFTER } }
          : response;
      }
      const sorted = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
      return [method, { ...op, responses: sorted }];
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
  const schemas: Record<string, unknown> = {};
  const schemaOwner: Record<string, string> = {};
  const tags = new Map<string, { name: string; description?: string }>();
  for (const { service, doc } of docs) {
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      if (!path.startsWith('/v1/')) continue;
      if (paths[path]) throw new Error(`path ${path} is declared by two services`);
      paths[path] = withGatewayResponses(item);
    }
    for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
      if (name in schemas && stable(schemas[name]) !== stable(schema)) {
        throw new Error(`schema ${name} differs between ${schemaOwner[name]} and ${service}`);
      }
      schemas[name] = schema;
      schemaOwner[name] = service;
    }
    for (const tag of doc.tags ?? []) if (!tags.has(tag.name)) tags.set(tag.name, tag);
  }
  const sortedPaths = Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b)));
  const sortedSchemas = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));
  return {
    openapi: docs[0]?.doc.openapi ?? '3.1.0',
    info,
    servers: [{ url: '/', description: 'this gateway' }],
    tags: [...tags.values()],
    paths: sortedPaths,
    components: { schemas: sortedSchemas },
  };
}

export const MERGED_INFO: OpenApiDoc['info'] = {
  title: 'TTHC Sở Y tế API',
  version: '0.1.0',
  description:
    'Thủ tục hành chính, hồ sơ một cửa, chỉ số và báo cáo của Sở Y tế. Every error is RFC 9457 application/problem+json.',
};
