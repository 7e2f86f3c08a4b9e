import { z } from 'zod';
import { documentedRoles, type RouteAccess } from './access';
import { PROBLEM_CONTENT_TYPE } from './problem';

/** Headers an answer carries, by status, as the OpenAPI document declares them. */
export type ResponseHeaders = Record<
  number,
  Record<string, { description: string; schema: { type: 'string' | 'integer'; example?: string | number } }>
>;

/** A request body the route reads itself (a file, or JSON and CSV), declared per media type. */
export interface RequestBodies {
  description?: string;
  content: Record<string, { schema: Record<string, unknown>; example?: unknown }>;
}

/** Headers every answer of the suite carries, declared once under components.headers. */
export const COMMON_HEADERS: Record<string, { description: string; schema: Record<string, unknown> }> = {
  XRequestId: {
    description:
      'The request id: the one the caller sent in X-Request-Id when it was usable, else one the suite made. Quote it when reporting a problem.',
    schema: { type: 'string', example: '7b0c8a6e-3f3c-4a55-9a43-2f6a1c1f0f11' },
  },
};

/** The declaration of a file answer or upload: one entry per media type, each a binary string. */
export function fileContent(
  mediaTypes: readonly string[],
): Record<string, { schema: Record<string, unknown> }> {
  return Object.fromEntries(
    mediaTypes.map((type) => [
      type,
      { schema: type.startsWith('text/') ? { type: 'string' } : { type: 'string', format: 'binary' } },
    ]),
  );
}

/**
 * The response schema of a file answer (a PDF slip, an export, a report file): declared in the
 * document as one binary string per media type (text types as text), with Content-Disposition.
 * `json` is the schema of the application/json variant when there is one.
 */
export function fileAnswer(
  description: string,
  mediaTypes: readonly string[],
  options: { examples?: Record<string, unknown>; json?: Record<string, unknown> } = {},
) {
  return z.any().meta({
    description,
    'x-media-types': [...mediaTypes],
    ...(options.json ? { 'x-json-schema': options.json } : {}),
    ...(options.examples ? { 'x-media-examples': options.examples } : {}),
  });
}

/** A request body of raw files (the route reads the bytes itself), one entry per media type. */
export function fileUpload(
  description: string,
  mediaTypes: readonly string[],
  extra: RequestBodies['content'] = {},
): RequestBodies {
  return { description, content: { ...fileContent(mediaTypes), ...extra } };
}

/** Fills a Location template's `{name}`s from the answer's fields or the path parameters. */
export function locationOf(template: string, payload: unknown, params: unknown): string | undefined {
  const from = (name: string): unknown =>
    (payload as Record<string, unknown> | null)?.[name] ?? (params as Record<string, unknown> | null)?.[name];
  let missing = false;
  const filled = template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = from(name);
    if (typeof value !== 'string' && typeof value !== 'number') missing = true;
    return encodeURIComponent(String(value));
  });
  return missing ? undefined : filled;
}

const SAMPLE: Record<string, string> = {
  id: '0b5e6a1c-7d2f-4c3a-9e8b-1f2a3b4c5d6e',
  code: '000.20.17.H55-260302-0001',
};
const LOCATION = (template: string) => ({
  description: `Where the resource lives (${template})`,
  schema: {
    type: 'string',
    format: 'uri-reference',
    example: template.replace(/\{([^}]+)\}/g, (_, name: string) => SAMPLE[name] ?? name),
  },
});
export const ETAG_HEADER = {
  description: 'The version of the resource; send it back in If-Match to change it',
  schema: { type: 'string', example: '"3"' },
} as const;

const CONTENT_DISPOSITION = {
  description: 'attachment (or inline for a slip to print) with the file name, RFC 6266',
  schema: { type: 'string', example: 'attachment; filename="danh-muc-tthc-2026-03-31.xlsx"' },
};

/**
 * Descriptions of the parameters many routes share, by name (and, for a path's `code` or `id`,
 * by the resource the path names). A route's own description wins.
 */
const PATH_RESOURCE: [RegExp, string, string][] = [
  [/^\/v1\/dossiers\/\{code\}/, 'code', 'The dossier code (mã hồ sơ) printed on the receipt'],
  [
    /^\/v1\/procedures\/\{code\}/,
    'code',
    'The procedure code (mã thủ tục) of the national catalogue, e.g. 1.004579',
  ],
  [/^\/v1\/feedback\/\{code\}/, 'code', 'The feedback code given when it was received'],
  [/^\/v1\/fields\/\{code\}/, 'code', 'The field code (mã lĩnh vực)'],
  [/^\/v1\/agencies\/\{code\}/, 'code', 'The agency code (mã cơ quan)'],
  [/^\/v1\/tracking\/\{code\}/, 'code', 'The dossier code (mã hồ sơ) printed on the receipt'],
  [/^\/v1\/notifications\/procedures\/\{code\}/, 'code', 'The procedure code (mã thủ tục)'],
  [/^\/v1\/reports\/\{id\}/, 'id', 'The report id (UUID) given when it was requested'],
  [/^\/v1\/reports\/schedules\/\{id\}/, 'id', 'The schedule id (UUID)'],
  [/^\/v1\/kpi\/reconciliations\/\{id\}/, 'id', 'The reconciliation run id (UUID)'],
  [/^\/v1\/admin\/api-keys\/\{id\}/, 'id', 'The API key id (UUID)'],
  [/^\/v1\/kpi\/dead-letters\/\{id\}/, 'id', 'The dead letter id (an event that could not be applied)'],
  [/^\/v1\/notifications\/(alerts|messages)\/\{id\}/, 'id', 'The message id (UUID)'],
];
const BY_NAME: Record<string, string> = {
  limit: 'Most items on one page (default 50, at most 200)',
  cursor: 'The nextCursor of the previous page; omit for the first page',
  count: 'true: also return the total number of matching items (costs a count)',
  'if-match': 'The ETag of the copy the change is based on; a stale one is refused with 412',
  'idempotency-key':
    'Retrying with the same key returns the first answer and creates nothing new; the same key with another request is refused (422)',
  agencyCode: 'The agency code (mã cơ quan); within your agency scope',
  fieldCode: 'The field code (mã lĩnh vực)',
  procedureCode: 'The procedure code (mã thủ tục), e.g. 1.004579',
  dryRun: 'true: check every row and report the errors, change nothing',
  status: 'Only items in this status',
  officer: 'The officer (their user id at the desk)',
  unit: 'The processing unit',
  channel: 'The channel: direct (at the desk), online (portal) or postal',
  q: 'Words to look for in the code, title or applicant',
  sort: 'The order of the list',
  kind: 'The kind',
  year: 'The calendar year, e.g. 2026',
  date: 'A date (YYYY-MM-DD, Vietnam time)',
  from: 'First day of the period (YYYY-MM-DD, inclusive)',
  to: 'Last day of the period (YYYY-MM-DD, inclusive)',
  asOf: 'The date the answer is as of (YYYY-MM-DD); default today',
  format: 'The file format',
  event: 'The event the template is for',
  onlineLevel: 'The online service level (toàn trình or một phần)',
  view: 'The shape of the answer',
  receivedFrom: 'Received at or after this instant (ISO 8601 with offset)',
  receivedBefore: 'Received before this instant (ISO 8601 with offset)',
  dueFrom: 'Due at or after this instant (ISO 8601 with offset)',
  dueBefore: 'Due before this instant (ISO 8601 with offset)',
  form: 'The slip form number (01 receipt, 02 supplement request, 03 refusal, 04 apology, 05 control sheet)',
  seq: 'The step number in the dossier’s inter-agency route (1 is the first)',
  sourceSystem: 'The system the records come from (a short name, 2-50 letters, digits, _ . -)',
  criterion: 'The indicator criterion code',
  acknowledged: 'true: only acknowledged items; false: only those still open',
  provider: 'The message provider sending the delivery report',
  authorityLevel: 'The level of the deciding authority',
  feeBearing: 'true: only procedures that charge a fee',
  complete: 'true: only complete items',
  issued: 'true: only issued reports; false: only drafts',
  'x-callback-token': 'The shared token the provider was given for its delivery reports',
  authorization: 'Bearer token the provider was given, as an alternative to X-Callback-Token',
  'x-verification': 'The second factor of tracking: the last digits of the applicant’s phone or ID number',
};

export function parameterDescription(path: string, name: string): string | undefined {
  const byPath = PATH_RESOURCE.find(([re, param]) => param === name && re.test(path));
  return byPath?.[2] ?? BY_NAME[name];
}

const REF = '#/components/schemas/';
const ANNOTATIONS = new Set(['title', 'description', 'examples', 'example', 'deprecated']);

/** Every schema name a node refers to. */
function refsIn(node: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(node)) for (const n of node) refsIn(n, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith(REF)) out.add(v.slice(REF.length));
      else refsIn(v, out);
    }
  }
  return out;
}

/** The schemas the paths reach, directly or through other schemas. */
function reachable(paths: unknown, schemas: Record<string, unknown>): Set<string> {
  const seen = new Set<string>();
  const todo = [...refsIn(paths, new Set())];
  while (todo.length > 0) {
    const name = todo.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    todo.push(...refsIn(schemas[name], new Set()));
  }
  return seen;
}

/**
 * One named schema per shape. The zod transform names each registered schema twice: `X` as
 * answers serialize it and `XInput` as requests are validated. A request schema is used only
 * as `XInput` and an answer only as `X`; the one used takes the plain name, and names nothing
 * uses are dropped (the registry is process-wide, so it also holds other services' schemas).
 */
export function oneSchemaPerShape<
  T extends { paths?: unknown; components?: { schemas?: Record<string, unknown> } },
>(doc: T): T {
  const schemas = doc.components?.schemas;
  if (!schemas) return doc;
  const used = reachable(doc.paths, schemas);
  const renames = new Map<string, string>();
  for (const name of used) {
    const base = name.endsWith('Input') ? name.slice(0, -'Input'.length) : undefined;
    if (base && !used.has(base)) renames.set(name, base);
  }
  let text = JSON.stringify({ paths: doc.paths, schemas });
  if (renames.size > 0) {
    text = text.replace(/"#\/components\/schemas\/([^"]+)"/g, (whole, name: string) =>
      renames.has(name) ? `"${REF}${renames.get(name)}"` : whole,
    );
  }
  const renamed = JSON.parse(text) as { paths: unknown; schemas: Record<string, unknown> };
  const kept: Record<string, unknown> = {};
  for (const name of [...used].map((n) => renames.get(n) ?? n).sort((a, b) => a.localeCompare(b))) {
    const from = [...renames].find(([, to]) => to === name)?.[0] ?? name;
    // The input variant loses the schema's annotations (zod keeps them on the output one).
    const annotations = Object.fromEntries(
      Object.entries((renamed.schemas[name] ?? {}) as Record<string, unknown>).filter(([k]) =>
        ANNOTATIONS.has(k),
      ),
    );
    kept[name] =
      from === name ? renamed.schemas[name] : { ...annotations, ...(renamed.schemas[from] as object) };
  }
  doc.paths = renamed.paths;
  doc.components!.schemas = kept;
  return doc;
}

/**
 * An answer whose schema is marked `x-etag` (a resource changed with If-Match: a dossier, a
 * procedure, a feedback) carries its version as ETag: declared on every success answer of it.
 */
function versionedAnswers(doc: {
  paths?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Record<string, unknown>> };
}): void {
  const schemas = doc.components?.schemas ?? {};
  const versioned = new Set(Object.keys(schemas).filter((name) => schemas[name]?.['x-etag'] === true));
  for (const name of versioned) delete schemas[name]!['x-etag'];
  for (const item of Object.values(doc.paths ?? {})) {
    for (const op of Object.values(item)) {
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        const ref = response?.content?.['application/json']?.schema?.$ref as string | undefined;
        if (Number(status) < 300 && ref && versioned.has(ref.slice(REF.length))) {
          response.headers = { ETag: ETAG_HEADER, ...response.headers };
        }
      }
    }
  }
}

const NONE = Symbol('no example');
const FORMAT_SAMPLES: Record<string, string> = {
  date: '2026-03-31',
  'date-time': '2026-03-31T02:00:00.000Z',
  uuid: '0b5e6a1c-7d2f-4c3a-9e8b-1f2a3b4c5d6e',
};

/**
 * An example of a body composed from the examples of its parts: a list page from its items'
 * example, an extension from the example of the schema it extends. Leaves come only from what
 * the schema states (an example, a default, an enum, a const, null when allowed, an empty list,
 * a sample of a date, date-time or UUID format, false); NONE when a required part has nothing to
 * offer (a bare string), so no text is made up. Redocly checks each against its schema.
 */
function composeExample(
  schema: unknown,
  schemas: Record<string, Record<string, unknown>>,
  depth = 0,
): unknown | typeof NONE {
  if (!schema || typeof schema !== 'object' || depth > 8) return NONE;
  const s = schema as Record<string, any>;
  if (Array.isArray(s['examples']) && s['examples'].length > 0) return s['examples'][0];
  if (s['example'] !== undefined) return s['example'];
  if (typeof s['$ref'] === 'string')
    return composeExample(schemas[s['$ref'].slice(REF.length)], schemas, depth + 1);
  if (s['const'] !== undefined) return s['const'];
  if (s['default'] !== undefined) return s['default'];
  if (Array.isArray(s['enum']) && s['enum'].length > 0) return s['enum'][0];
  const types = Array.isArray(s['type']) ? (s['type'] as string[]) : [s['type']];
  if (s['properties'] && typeof s['properties'] === 'object') {
    const props = s['properties'] as Record<string, unknown>;
    // An extension of a named schema (Dossier.extend(...)) starts from that schema's example.
    const out: Record<string, unknown> = { ...extendedExample(props, schemas) };
    const required = new Set((s['required'] as string[] | undefined) ?? []);
    for (const [name, prop] of Object.entries(props)) {
      if (name in out) continue;
      const value = composeExample(prop, schemas, depth + 1);
      if (value !== NONE) out[name] = value;
      else if (required.has(name)) return NONE;
    }
    return out;
  }
  if (types.includes('array')) {
    const item = composeExample(s['items'], schemas, depth + 1);
    if (item !== NONE) return [item];
    return types.includes('null') ? null : !s['minItems'] ? [] : NONE;
  }
  if (types.includes('null')) return null;
  // A leaf whose format fixes its shape: a sample of that format.
  if (types.includes('string') && typeof s['format'] === 'string' && FORMAT_SAMPLES[s['format']]) {
    return FORMAT_SAMPLES[s['format']];
  }
  if (types.includes('boolean')) return false;
  for (const alternative of (s['anyOf'] ?? s['oneOf'] ?? []) as unknown[]) {
    const value = composeExample(alternative, schemas, depth + 1);
    if (value !== NONE) return value;
  }
  return NONE;
}

/**
 * The example of the largest named schema whose members all appear among `props` with the same
 * schema (an extension of it), not merely the same names (two pages of different items).
 */
function extendedExample(
  props: Record<string, unknown>,
  schemas: Record<string, Record<string, unknown>>,
): object {
  let best: { size: number; example: Record<string, unknown> } | undefined;
  for (const schema of Object.values(schemas)) {
    const own = (schema['properties'] ?? {}) as Record<string, unknown>;
    const members = Object.keys(own);
    const example = (schema['examples'] as unknown[] | undefined)?.[0];
    if (members.length < 2 || !example || typeof example !== 'object') continue;
    const same = (m: string) => m in props && JSON.stringify(own[m]) === JSON.stringify(props[m]);
    if (!members.every(same) || (best && best.size >= members.length)) continue;
    best = { size: members.length, example: example as Record<string, unknown> };
  }
  return best?.example ?? {};
}

/** Bodies without an example get one composed from their parts' examples, where they all have one. */
function composedExamples(doc: {
  paths?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Record<string, unknown>> };
}): void {
  const schemas = doc.components?.schemas ?? {};
  const bodies = (op: Operation) => [
    ...Object.values(op.requestBody?.content ?? {}),
    ...Object.entries(op.responses ?? {})
      .filter(([status]) => Number(status) < 400)
      .flatMap(([, r]) => Object.values((r?.content ?? {}) as Record<string, unknown>)),
  ];
  for (const item of Object.values(doc.paths ?? {})) {
    for (const op of Object.values(item)) {
      for (const media of bodies(op) as Record<string, any>[]) {
        if (!media?.schema || media['example'] !== undefined || media['examples'] !== undefined) continue;
        if (media.schema.format === 'binary') continue;
        const example = composeExample(media.schema, schemas);
        if (example !== NONE) media['example'] = example;
      }
    }
  }
}

const INT32 = 2 ** 31;

/** Integers say their size: int32 when their bounds fit, else int64 (within 2^53, as JSON numbers). */
export function integerFormats(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(integerFormats);
  if (!node || typeof node !== 'object') return;
  const n = node as Record<string, unknown>;
  const type = n['type'];
  const isInteger = type === 'integer' || (Array.isArray(type) && type.includes('integer'));
  if (isInteger && n['format'] === undefined) {
    const min = (n['minimum'] ?? n['exclusiveMinimum']) as number | undefined;
    const max = (n['maximum'] ?? n['exclusiveMaximum']) as number | undefined;
    n['format'] = min !== undefined && max !== undefined && min >= -INT32 && max < INT32 ? 'int32' : 'int64';
  }
  for (const v of Object.values(n)) integerFormats(v);
}

/** How callers authenticate at the gateway: an API key or an officer's token. */
export const PROTECTED_SECURITY = [{ ApiKey: [] }, { Bearer: [] }];

/**
 * A route's access as its operation declares it: the security requirements (none for a public
 * one), `x-roles` (the roles that may call it, `admin` included, or `public`), `x-agency-scoped`
 * and, where the answer carries contact details, `x-personal-data` (the roles that see them).
 */
export function accessExtensions(access: RouteAccess): Record<string, unknown> {
  return {
    security: access.roles === 'public' ? [] : PROTECTED_SECURITY,
    'x-roles': documentedRoles(access),
    'x-agency-scoped': access.agencyScoped,
    ...(access.personalData
      ? { 'x-personal-data': documentedRoles({ roles: access.personalData, agencyScoped: false }) }
      : {}),
  };
}

type Operation = {
  responses?: Record<string, any>;
  parameters?: { name: string; in: string; description?: string; schema?: Record<string, unknown> }[];
  requestBody?: { content?: Record<string, unknown>; [k: string]: unknown };
  summary?: string;
  description?: string;
  [k: string]: unknown;
};

/**
 * Finishes a service's document: component schemas without JSON Schema's $id (a component is
 * named by its key), one per shape, sorted; declared response headers, request bodies and
 * media types; problem+json on every error; X-Request-Id on every answer; integer formats;
 * descriptions of shared parameters.
 */
export function finishDocument<T>(input: T): T {
  const doc = input as {
    paths?: Record<string, Record<string, Operation>>;
    components?: { schemas?: Record<string, unknown>; headers?: Record<string, unknown> };
  };
  const components = (doc.components ??= {});
  if (components.schemas) {
    components.schemas = Object.fromEntries(
      Object.entries(components.schemas).map(([name, schema]) => {
        const { $id: _id, $schema: _schema, ...rest } = schema as Record<string, unknown>;
        return [name, rest];
      }),
    );
  }
  const hasPaths = Object.keys(doc.paths ?? {}).length > 0;
  if (hasPaths) components.headers = { ...components.headers, ...COMMON_HEADERS };
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const op of Object.values(item)) {
      const headers = op['x-response-headers'] as ResponseHeaders | undefined;
      delete op['x-response-headers'];
      op.responses ??= {};
      for (const [status, declared] of Object.entries(headers ?? {})) {
        const response = (op.responses[status] ??= {
          description: status === '304' ? 'Not Modified: the copy the client holds is current' : 'OK',
        });
        response.headers = { ...response.headers, ...declared };
      }
      if (op['x-idempotent']) {
        delete op['x-idempotent'];
        op.parameters ??= [];
        if (!op.parameters.some((p) => p.in === 'header' && p.name === 'idempotency-key')) {
          op.parameters.push({
            name: 'idempotency-key',
            in: 'header',
            schema: { type: 'string', minLength: 8, maxLength: 100 },
          } as (typeof op.parameters)[number]);
        }
        for (const status of ['409', '422']) {
          op.responses[status] ??= {
            content: { 'application/json': { schema: { $ref: `${REF}ProblemDetails` } } },
          };
        }
      }
      const access = op['x-access'] as RouteAccess | undefined;
      delete op['x-access'];
      if (access) Object.assign(op, accessExtensions(access));
      const location = op['x-location'] as string | undefined;
      delete op['x-location'];
      for (const status of ['201', '202']) {
        if (location && op.responses[status]) {
          op.responses[status].headers = { ...op.responses[status].headers, Location: LOCATION(location) };
        }
      }
      const bodies = op['x-request-body'] as RequestBodies | undefined;
      delete op['x-request-body'];
      if (bodies) {
        op.requestBody = {
          required: true,
          ...(bodies.description ? { description: bodies.description } : {}),
          content: {
            ...op.requestBody?.content,
            ...Object.fromEntries(
              Object.entries(bodies.content).map(([type, c]) => [
                type,
                { schema: c.schema, ...(c.example !== undefined ? { example: c.example } : {}) },
              ]),
            ),
          },
        };
      }
      for (const [status, response] of Object.entries(op.responses)) {
        response.headers = {
          ...response.headers,
          'X-Request-Id': { $ref: '#/components/headers/XRequestId' },
        };
        const json = response?.content?.['application/json'];
        // A success answer in other media types (a file) names them with x-media-types on its schema.
        // (x-content-type: the older spelling for a single text type.)
        const legacy = json?.schema?.['x-content-type'] as string | undefined;
        const mediaTypes = (json?.schema?.['x-media-types'] ?? (legacy ? [legacy] : undefined)) as
          string[] | undefined;
        if (Number(status) < 400 && Array.isArray(mediaTypes)) {
          const examples = (json.schema['x-media-examples'] ??
            (legacy ? { [legacy]: json.schema.example } : {})) as Record<string, unknown>;
          const content = fileContent(mediaTypes) as Record<string, Record<string, unknown>>;
          for (const [type, c] of Object.entries(content)) {
            if (type === 'application/json') c['schema'] = json.schema['x-json-schema'] ?? { type: 'object' };
            if (examples[type] !== undefined) c['example'] = examples[type];
          }
          response.content = content;
          // A file (not a JSON or HTML answer in another dress) says how to save it.
          if (mediaTypes.some((type) => type !== 'application/json' && type !== 'text/html')) {
            response.headers = { ...response.headers, 'Content-Disposition': CONTENT_DISPOSITION };
          }
          if (typeof json.schema.description === 'string') response.description = json.schema.description;
          continue;
        }
        if (Number(status) < 400 || !json) continue;
        response.content = { [PROBLEM_CONTENT_TYPE]: response.content['application/json'] };
        response.description = 'Problem details (RFC 9457)';
      }
      for (const param of op.parameters ?? []) {
        param.description ??= parameterDescription(path, param.name);
      }
      // The summary is the operation's one line; without more to say, it is its description too.
      if (!op.description && op.summary) op.description = op.summary;
    }
  }
  const finished = oneSchemaPerShape(doc as any);
  versionedAnswers(finished);
  integerFormats(finished);
  composedExamples(finished);
  return finished as T;
}
