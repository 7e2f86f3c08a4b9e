import { isNullable, kindOf, nonNull, sample, type Hints, type ValueKind } from './samples';
import type { Operation, Param, Schema } from './spec';

/**
 * Invalid inputs for one operation, as data: each case changes one thing of an otherwise valid
 * request (a path parameter, a query parameter, a header, one body field, or the body as a
 * whole) and carries a name that says what, so that a failure prints a request one can replay.
 */

export interface BadCase {
  /** Family of the case; cases are bounded per operation by taking families in turn. */
  kind: string;
  name: string;
  /** Path parameters to replace, already percent-encoded. */
  path?: Record<string, string>;
  /** The whole query string (encoded, no '?'); absent: the operation's valid query. */
  query?: string;
  /** Headers to add or replace; null removes one the valid request would send. */
  headers?: Record<string, string | null>;
  /** The raw body; absent: the operation's valid body (for methods that carry one). */
  body?: string | Uint8Array;
  /** Content type to send with `body`; null: none. Defaults to application/json. */
  contentType?: string | null;
  /** Rewrites the final path and query (dot segments, double slashes...). */
  mangle?: (target: string) => string;
}

/** Values of a valid request, from the reference rows the test loaded. */
export interface ValidInputs {
  pathValue(op: Operation, param: string): string;
  hints: Hints;
  /** Known-valid bodies for operations whose schema alone does not make a useful one. */
  bodies: Readonly<Record<string, unknown>>;
}

export const INJECTIONS: readonly (readonly [string, string])[] = [
  ['SQL injection', "' OR 1=1 --"],
  ['script injection', '<script>alert(1)</script>'],
  ['SQL drop table', '"; DROP TABLE dossiers; --'],
];
export const BAD_DATES = ['2026-02-30', 'not-a-date', '99999-01-01'] as const;
/** Raw JSON number tokens: JSON.stringify cannot write 2^53+1, and 1e309 parses to Infinity. */
export const BAD_NUMBERS: readonly (readonly [string, string])[] = [
  ['negative', '-1'],
  ['1e308', '1e308'],
  ['2^53+1', '9007199254740993'],
  ['1e309 (Infinity)', '1e309'],
  ['fraction', '0.5'],
];
export const NFD_TEXT = 'Nguyễn Thị Ánh, Sở Y tế tỉnh Quảng Nam'.normalize('NFD');
const ONE_MB = 1024 * 1024;
/** Invalid UTF-8: a truncated sequence, bytes that never occur, an encoded surrogate, an overlong '/'. */
export const INVALID_UTF8 = Uint8Array.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80, 0xc0, 0xaf]);
const INVALID_UTF8_URL = '%C3%28%FF%FE%ED%A0%80%C0%AF';

export const enc = (s: string) => encodeURIComponent(s);
const queryOf = (pairs: readonly (readonly [string, string])[]) =>
  pairs.map(([k, v]) => `${k}=${v}`).join('&');

/** A field of a body: where it is, its schema, whether its parent requires it. */
interface Slot {
  path: (string | number)[];
  schema: Schema;
  required: boolean;
}

/** Fields of a body schema, breadth first (top-level fields before nested ones), to depth 3. */
function slotsOf(schema: Schema): Slot[] {
  const out: Slot[] = [];
  let level: Slot[] = [{ path: [], schema, required: true }];
  for (let depth = 0; depth < 3 && level.length > 0; depth++) {
    const next: Slot[] = [];
    for (const parent of level) {
      const s = nonNull(parent.schema);
      const kind = kindOf(s);
      if (kind === 'object') {
        const required: string[] = s.required ?? [];
        for (const [key, prop] of Object.entries<Schema>(s.properties ?? {})) {
          next.push({ path: [...parent.path, key], schema: prop, required: required.includes(key) });
        }
      } else if (kind === 'array' && s.items && ['object', 'array'].includes(kindOf(s.items))) {
        // Step into the first element: its fields are the array's fields.
        next.push(
          ...slotsOf(s.items)
            .map((x) => ({ ...x, path: [...parent.path, 0, ...x.path] }))
            .slice(0, 20),
        );
      }
    }
    out.push(...next);
    level = next.filter((x) => ['object', 'array'].includes(kindOf(x.schema)));
  }
  return out;
}

const pointer = (path: readonly (string | number)[]) => '/' + path.join('/');
const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

/** Sets (or with `remove`, deletes) the value at `path`, creating the containers on the way. */
function setAt(root: unknown, path: readonly (string | number)[], value: unknown, remove = false): unknown {
  const top: any = root !== null && typeof root === 'object' ? clone(root) : {};
  let node = top;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]!;
    if (node[key] === null || typeof node[key] !== 'object')
      node[key] = typeof path[i + 1] === 'number' ? [] : {};
    node = node[key];
  }
  const last = path[path.length - 1]!;
  if (remove) {
    if (Array.isArray(node) && typeof last === 'number') node.splice(last, 1);
    else delete node[last];
  } else node[last] = value;
  return top;
}

/**
 * JSON text of `root` with the value at `path` replaced by a raw token (a number JSON.stringify
 * cannot write). The sentinel is a string no schema sample contains.
 */
function withRawToken(root: unknown, path: readonly (string | number)[], token: string): string {
  const sentinel = '~~RAW-TOKEN~~';
  return JSON.stringify(setAt(root, path, sentinel)).replace(JSON.stringify(sentinel), token);
}

function withBytes(root: unknown, path: readonly (string | number)[], bytes: Uint8Array): Uint8Array {
  const sentinel = '~~RAW-BYTES~~';
  const [before, after] = JSON.stringify(setAt(root, path, sentinel)).split(sentinel) as [string, string];
  return Buffer.concat([Buffer.from(before, 'utf8'), bytes, Buffer.from(after ?? '', 'utf8')]);
}

/** A value of another JSON type than the schema asks for. */
function wrongTypeValue(kind: ValueKind): unknown {
  switch (kind) {
    case 'string':
    case 'enum':
      return 12345;
    case 'integer':
    case 'number':
      return '12';
    case 'boolean':
      return 'true';
    case 'array':
      return { not: 'an array' };
    case 'object':
      return ['not', 'an', 'object'];
    case 'null':
    case 'any':
      return { unexpected: [true] };
  }
}

const isFreeText = (s: Schema) => kindOf(s) === 'string' && !nonNull(s).pattern && !nonNull(s).format;
const dateFormat = (s: Schema) => ['date', 'date-time'].includes(nonNull(s).format);

/** The valid request of an operation, that every case starts from. */
export function validRequest(op: Operation, valid: ValidInputs) {
  const query: [string, string][] = op.params
    .filter((p) => p.in === 'query' && p.required)
    .map((p) => [p.name, enc(String(sample(p.schema, p.name, valid.hints)))]);
  const headers: Record<string, string> = {};
  for (const p of op.params.filter((x) => x.in === 'header' && x.required))
    headers[p.name] = String(sample(p.schema, p.name, valid.hints));
  const body = op.body
    ? clone(valid.bodies[op.id] ?? op.body.example ?? sample(op.body.schema, '', valid.hints))
    : undefined;
  return { query, headers, body };
}

function paramCases(param: Param, encoded: (v: string) => BadCase): BadCase[] {
  const s = nonNull(param.schema);
  const kind = kindOf(s);
  const where = `${param.in} ${param.name}`;
  const cases: BadCase[] = INJECTIONS.map(([label, text]) => ({
    ...encoded(enc(text)),
    name: `${where}: ${label}`,
  }));
  cases.push({ ...encoded(INVALID_UTF8_URL), name: `${where}: invalid UTF-8` });
  cases.push({ ...encoded('a%00b'), name: `${where}: NUL byte` });
  cases.push({ ...encoded(enc(NFD_TEXT)), name: `${where}: NFD Vietnamese text` });
  cases.push({ ...encoded('a'.repeat(10_000)), name: `${where}: 10 KB string` });
  if (kind === 'enum') cases.push({ ...encoded('unknown_value'), name: `${where}: unknown enum value` });
  if (kind === 'integer' || kind === 'number') {
    for (const [label, token] of [...BAD_NUMBERS, ['not a number', 'abc'] as const])
      cases.push({ ...encoded(enc(token)), name: `${where}: ${label}` });
  }
  if (dateFormat(s))
    for (const d of BAD_DATES) cases.push({ ...encoded(d), name: `${where}: bad date ${d}` });
  if (s.format === 'uuid') cases.push({ ...encoded('not-a-uuid'), name: `${where}: not a UUID` });
  return cases;
}

export function pathCases(op: Operation): BadCase[] {
  return op.params
    .filter((p) => p.in === 'path')
    .flatMap((p) => [
      ...paramCases(p, (v) => ({ kind: 'path', name: '', path: { [p.name]: v } })),
      { kind: 'path', name: `path ${p.name}: empty`, path: { [p.name]: '' } },
    ]);
}

export function queryCases(op: Operation, valid: ValidInputs): BadCase[] {
  const base = validRequest(op, valid).query;
  const others = (name: string) => base.filter(([k]) => k !== name);
  const cases: BadCase[] = [];
  for (const p of op.params.filter((x) => x.in === 'query')) {
    const good = enc(String(sample(p.schema, p.name, valid.hints)));
    cases.push(
      ...paramCases(p, (v) => ({
        kind: 'query',
        name: '',
        query: queryOf([...others(p.name), [p.name, v]]),
      })),
    );
    cases.push({
      kind: 'query',
      name: `query ${p.name}: repeated`,
      query: queryOf([...others(p.name), [p.name, good], [p.name, good]]),
    });
    if (p.required)
      cases.push({
        kind: 'query',
        name: `query ${p.name}: missing (required)`,
        query: queryOf(others(p.name)),
      });
  }
  cases.push({
    kind: 'query',
    name: 'unknown query parameter',
    query: queryOf([...base, ['zz_unknown', '1']]),
  });
  return cases;
}

export function headerCases(op: Operation): BadCase[] {
  const cases: BadCase[] = [];
  for (const p of op.params.filter((x) => x.in === 'header')) {
    const h = p.name.toLowerCase();
    if (p.required)
      cases.push({ kind: 'header', name: `header ${h}: missing (required)`, headers: { [h]: null } });
    for (const [label, text] of INJECTIONS)
      cases.push({ kind: 'header', name: `header ${h}: ${label}`, headers: { [h]: text } });
    cases.push({ kind: 'header', name: `header ${h}: 10 KB value`, headers: { [h]: 'a'.repeat(10_000) } });
    if (h === 'if-match') {
      cases.push({ kind: 'header', name: 'header if-match: missing', headers: { [h]: null } });
      cases.push({ kind: 'header', name: 'header if-match: stale ETag', headers: { [h]: '"999999"' } });
      cases.push({ kind: 'header', name: 'header if-match: 2^53+1', headers: { [h]: '"9007199254740993"' } });
      cases.push({
        kind: 'header',
        name: 'header if-match: weak non-numeric ETag',
        headers: { [h]: 'W/"abc"' },
      });
    }
  }
  return cases;
}

/** Cases on the fields of the declared JSON body. */
export function bodyFieldCases(op: Operation, valid: ValidInputs): BadCase[] {
  if (!op.body) return [];
  const base = validRequest(op, valid).body;
  const json = (value: unknown) => JSON.stringify(value);
  const cases: BadCase[] = [];
  for (const slot of slotsOf(op.body.schema)) {
    const at = pointer(slot.path);
    const kind = kindOf(slot.schema);
    const s = nonNull(slot.schema);
    cases.push({
      kind: 'body-type',
      name: `body ${at}: wrong type`,
      body: json(setAt(base, slot.path, wrongTypeValue(kind))),
    });
    if (!isNullable(slot.schema))
      cases.push({ kind: 'body-type', name: `body ${at}: null`, body: json(setAt(base, slot.path, null)) });
    if (slot.required)
      cases.push({
        kind: 'body-missing',
        name: `body ${at}: missing (required)`,
        body: json(setAt(base, slot.path, undefined, true)),
      });
    if (kind === 'string') {
      for (const [label, text] of INJECTIONS)
        cases.push({
          kind: 'body-injection',
          name: `body ${at}: ${label}`,
          body: json(setAt(base, slot.path, text)),
        });
      cases.push({
        kind: 'body-nul',
        name: `body ${at}: NUL byte`,
        body: json(setAt(base, slot.path, 'Nguyễn\u0000Ánh')),
      });
      if (isFreeText(s)) {
        cases.push({
          kind: 'body-nfd',
          name: `body ${at}: NFD Vietnamese text`,
          body: json(setAt(base, slot.path, NFD_TEXT)),
        });
        cases.push({
          kind: 'body-long',
          name: `body ${at}: 200 KB Vietnamese text`,
          body: json(setAt(base, slot.path, 'Nguyễn Thị Ánh '.repeat(14_000))),
        });
      }
      // Past the services' 1 MB body limit whatever the field: once per operation is enough.
      if (!cases.some((c) => c.kind === 'body-huge'))
        cases.push({
          kind: 'body-huge',
          name: `body ${at}: 1 MB string`,
          body: json(setAt(base, slot.path, 'a'.repeat(ONE_MB))),
        });
      cases.push({
        kind: 'body-utf8',
        name: `body ${at}: invalid UTF-8 bytes`,
        body: withBytes(base, slot.path, INVALID_UTF8),
      });
      if (dateFormat(s))
        for (const d of BAD_DATES)
          cases.push({
            kind: 'body-date',
            name: `body ${at}: bad date ${d}`,
            body: json(setAt(base, slot.path, d)),
          });
    }
    if (kind === 'integer' || kind === 'number') {
      for (const [label, token] of BAD_NUMBERS)
        cases.push({
          kind: 'body-number',
          name: `body ${at}: ${label}`,
          body: withRawToken(base, slot.path, token),
        });
    }
    if (kind === 'enum')
      cases.push({
        kind: 'body-enum',
        name: `body ${at}: unknown enum value`,
        body: json(setAt(base, slot.path, 'unknown_value')),
      });
    if (kind === 'array')
      cases.push({
        kind: 'body-type',
        name: `body ${at}: 10 000 items`,
        body: json(
          setAt(
            base,
            slot.path,
            Array.from({ length: 10_000 }, () => 'x'),
          ),
        ),
      });
  }
  return cases;
}

/** Cases on the body as a whole: structure, encoding and content type. */
export function wholeBodyCases(op: Operation, valid: ValidInputs): BadCase[] {
  if (op.method === 'GET' || op.method === 'HEAD') return [];
  const base = validRequest(op, valid).body ?? {};
  const text = JSON.stringify(base);
  const depth = 10_000;
  const first = op.body ? (Object.keys(nonNull(op.body.schema).properties ?? {})[0] ?? 'a') : 'a';
  const raw = (
    name: string,
    body: string | Uint8Array,
    contentType: string | null = 'application/json',
  ): BadCase => ({ kind: 'body-raw', name, body, contentType });
  const type = (name: string, body: string | Uint8Array, contentType: string | null): BadCase => ({
    kind: 'content-type',
    name,
    body,
    contentType,
  });
  return [
    raw(`deeply nested JSON array (depth ${depth}) as the body`, '['.repeat(depth) + ']'.repeat(depth)),
    raw(
      `deeply nested JSON object (depth ${depth}) in /${first}`,
      `{"${first}":` + '{"a":'.repeat(depth) + '1' + '}'.repeat(depth) + '}',
    ),
    raw(
      'invalid UTF-8 bytes in the JSON text',
      Buffer.concat([Buffer.from('{"x":"'), INVALID_UTF8, Buffer.from('"}')]),
    ),
    raw('malformed JSON', '{"a":'),
    raw('empty body', ''),
    raw('JSON null', 'null'),
    raw('JSON array', '[]'),
    raw('JSON string', '"x"'),
    raw('duplicate keys', text.replace(/^\{/, `{"${first}":{"dup":true},`)),
    raw('prototype pollution (__proto__)', text.replace(/^\{/, '{"__proto__":{"polluted":true},')),
    raw(
      'prototype pollution (constructor.prototype)',
      text.replace(/^\{/, '{"constructor":{"prototype":{"polluted":true}},'),
    ),
    raw('1 MB body of whitespace', ' '.repeat(ONE_MB) + text),
    raw(
      '3 MB body (over the gateway limit)',
      JSON.stringify({ ...(base as object), padding: 'a'.repeat(3 * ONE_MB) }),
    ),
    type('content type text/plain', text, 'text/plain'),
    type('content type application/x-www-form-urlencoded', 'a=1&b=2', 'application/x-www-form-urlencoded'),
    type(
      'content type multipart/form-data (malformed)',
      '--x\r\nbogus\r\n',
      'multipart/form-data; boundary=x',
    ),
    type('content type application/xml', '<dossier><code>1</code></dossier>', 'application/xml'),
    type(
      'content type text/csv with junk',
      'a,b\n"unterminated,\u0000\n' + INJECTIONS.map(([, s]) => s).join(','),
      'text/csv',
    ),
    type(
      'spreadsheet content type with bytes that are not a spreadsheet',
      Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0xff, 0x00, 0x13, 0x37]),
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ),
    type('no content type', Buffer.from(text), null),
    type('JSON with charset=utf-16', text, 'application/json; charset=utf-16'),
    type('content type of invalid syntax', text, 'application/json;;;==; charset'),
  ];
}

/** Cases every operation gets: headers and URL shapes that no schema describes. */
export function genericCases(): BadCase[] {
  const g = (name: string, c: Omit<BadCase, 'kind' | 'name'>): BadCase => ({ kind: 'generic', name, ...c });
  return [
    ...INJECTIONS.map(([label, text]) =>
      g(`header x-request-id: ${label}`, { headers: { 'x-request-id': text } }),
    ),
    g('header x-forwarded-for: injection', {
      headers: { 'x-forwarded-for': `${INJECTIONS[0]![1]}, 999.1.1.1` },
    }),
    g('header x-api-key: SQL injection (not a key)', { headers: { 'x-api-key': INJECTIONS[0]![1] } }),
    g('header authorization: malformed bearer token', { headers: { authorization: 'Bearer a.b.c' } }),
    g('header x-tthc-identity: forged assertion', {
      headers: { 'x-tthc-identity': 'eyJhbGciOiJub25lIn0.eyJyb2xlcyI6WyJhZG1pbiJdfQ.' },
    }),
    g('header accept: application/xml only', { headers: { accept: 'application/xml' } }),
    g('header x-http-method-override: DELETE', { headers: { 'x-http-method-override': 'DELETE' } }),
    g('path with a trailing slash', { mangle: (t) => t.replace(/(\?|$)/, '/$1') }),
    g('path with a double slash', { mangle: (t) => t.replace('/v1/', '/v1//') }),
    g('path in upper case', { mangle: (t) => t.replace(/^[^?]*/, (p) => p.toUpperCase()) }),
    g('path with a dot segment', { mangle: (t) => t.replace('/v1/', '/v1/./') }),
    g('path with an encoded parent segment', { mangle: (t) => t.replace('/v1/', '/v1/%2e%2e/v1/') }),
    g('query with an invalid UTF-8 key', { mangle: (t) => `${t}${t.includes('?') ? '&' : '?'}%FF%FE=1` }),
    g('query of empty pairs', { mangle: (t) => `${t}${t.includes('?') ? '&' : '?'}&&=&==&` }),
    g('query of 1000 parameters', {
      mangle: (t) =>
        `${t}${t.includes('?') ? '&' : '?'}${Array.from({ length: 1000 }, (_, i) => `p${i}=${i}`).join('&')}`,
    }),
  ];
}

/** Takes families in turn (first case of each, then the second...) until `max` cases. */
function roundRobin(cases: readonly BadCase[], max: number): BadCase[] {
  const families = new Map<string, BadCase[]>();
  for (const c of cases) families.set(c.kind, [...(families.get(c.kind) ?? []), c]);
  const out: BadCase[] = [];
  for (let i = 0; out.length < max && [...families.values()].some((f) => f.length > i); i++) {
    for (const family of families.values()) {
      const c = family[i];
      if (c && out.length < max) out.push(c);
    }
  }
  return out;
}

/**
 * Every case of an operation: the generic and whole-body cases, and at most `maxFieldCases` of
 * those derived from its parameters and body fields, taking every family in turn so that a
 * bound keeps every kind of bad input for every operation.
 */
export function casesFor(op: Operation, valid: ValidInputs, maxFieldCases: number): BadCase[] {
  const fieldCases = [
    ...pathCases(op),
    ...queryCases(op, valid),
    ...headerCases(op),
    ...bodyFieldCases(op, valid),
  ];
  return [...genericCases(), ...wholeBodyCases(op, valid), ...roundRobin(fieldCases, maxFieldCases)];
}
