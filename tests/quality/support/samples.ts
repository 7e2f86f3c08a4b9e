import type { Schema } from './spec';

/**
 * Valid-looking values derived from a schema: the documented example when there is one, else a
 * value built from the constraints. The bad-input cases each break one thing of such a value,
 * so that the request fails for the reason the case names rather than for another.
 */

export type ValueKind =
  'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object' | 'enum' | 'null' | 'any';

/** Values of known identifiers, by property name: reference rows the test loaded. */
export type Hints = Readonly<Record<string, unknown>>;

/** Strings that satisfy the patterns the suite uses (codes, IDs, phone numbers...). */
const PATTERN_CANDIDATES = [
  '1.004579',
  '000.00.17.H55',
  'DUOC_PHAM',
  '046190001234',
  '0401234567',
  'ND-QUALITY-2026',
  'quality.suite',
  '0903123456',
  '2026-01-15',
  '2026-01-15T03:00:00.000Z',
  '15:00',
  'cong.dan@example.vn',
  '00000000-0000-4000-8000-000000000000',
  'abc',
  '1',
];

const FORMAT_SAMPLES: Record<string, string> = {
  date: '2026-01-15',
  'date-time': '2026-01-15T03:00:00.000Z',
  email: 'cong.dan@example.vn',
  uuid: '00000000-0000-4000-8000-000000000000',
};

/** The non-null alternative of a nullable schema (`type: [x, 'null']`, `anyOf: [x, {type: null}]`). */
export function nonNull(schema: Schema): Schema {
  for (const key of ['anyOf', 'oneOf'] as const) {
    const branches: Schema[] | undefined = schema[key];
    if (Array.isArray(branches)) {
      const branch = branches.find((b) => b.type !== 'null');
      if (branch) return nonNull({ ...schema, [key]: undefined, ...branch });
    }
  }
  if (Array.isArray(schema.type)) {
    const t = schema.type.find((x: string) => x !== 'null');
    return { ...schema, type: t ?? 'null' };
  }
  return schema;
}

export function isNullable(schema: Schema): boolean {
  if (Array.isArray(schema.type) && schema.type.includes('null')) return true;
  return [schema.anyOf, schema.oneOf].some(
    (b) => Array.isArray(b) && b.some((x: Schema) => x.type === 'null'),
  );
}

export function kindOf(schema: Schema): ValueKind {
  const s = nonNull(schema);
  if (s.const !== undefined || Array.isArray(s.enum)) return 'enum';
  switch (s.type) {
    case 'string':
    case 'integer':
    case 'number':
    case 'boolean':
    case 'array':
    case 'object':
    case 'null':
      return s.type;
    default:
      return s.properties ? 'object' : 'any';
  }
}

function sampleString(s: Schema, name: string, hints: Hints): string {
  const hinted = hints[name];
  let value: string;
  if (typeof hinted === 'string') value = hinted;
  else if (typeof s.format === 'string' && FORMAT_SAMPLES[s.format]) value = FORMAT_SAMPLES[s.format]!;
  else if (typeof s.pattern === 'string') {
    const re = new RegExp(s.pattern, 'u');
    value = PATTERN_CANDIDATES.find((c) => re.test(c)) ?? 'abc';
  } else value = 'Hồ sơ kiểm thử';
  if (typeof s.maxLength === 'number' && value.length > s.maxLength) value = value.slice(0, s.maxLength);
  if (typeof s.minLength === 'number' && value.length < s.minLength) value = value.padEnd(s.minLength, 'a');
  return value;
}

function sampleNumber(s: Schema): number {
  let n =
    typeof s.minimum === 'number'
      ? s.minimum
      : typeof s.exclusiveMinimum === 'number'
        ? s.exclusiveMinimum + 1
        : 1;
  if (typeof s.maximum === 'number' && n > s.maximum) n = s.maximum;
  return n;
}

/** A value the schema accepts, as far as its constraints tell (business rules may still refuse it). */
export function sample(schema: Schema, name = '', hints: Hints = {}, depth = 0): unknown {
  if (name in hints) return hints[name];
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (schema.default !== undefined) return schema.default;
  const s = nonNull(schema);
  if (s.const !== undefined) return s.const;
  if (Array.isArray(s.enum)) return s.enum[0];
  if (depth > 8) return null;
  switch (kindOf(s)) {
    case 'string':
      return sampleString(s, name, hints);
    case 'integer':
    case 'number':
      return sampleNumber(s);
    case 'boolean':
      return false;
    case 'array': {
      const n = Math.max(1, typeof s.minItems === 'number' ? s.minItems : 1);
      return Array.from({ length: n }, () => sample(s.items ?? {}, '', hints, depth + 1));
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      const required: string[] = s.required ?? [];
      for (const [key, prop] of Object.entries<Schema>(s.properties ?? {})) {
        if (required.includes(key)) out[key] = sample(prop, key, hints, depth + 1);
      }
      return out;
    }
    case 'null':
      return null;
    case 'enum':
    case 'any':
      return 'x';
  }
}
