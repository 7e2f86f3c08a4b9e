/**
 * The README's table of environment variables, generated from the services' zod config schemas
 * (the one place each variable is declared), so the documentation cannot drift from the code.
 * `npm run docs:env` writes it; tests/quality/env-table.test.ts fails when it is stale.
 */
import type { z } from 'zod';
import { configSchema as catalogue } from '../../services/catalogue/src/config';
import { configSchema as gateway } from '../../services/gateway/src/config';
import { configSchema as intake } from '../../services/intake/src/config';
import { configSchema as kpi } from '../../services/kpi/src/config';
import { configSchema as reports } from '../../services/reports/src/config';

const SERVICES = { gateway, catalogue, intake, kpi, reports } as Record<string, z.ZodType>;
export const START =
  "<!-- env-table:start (generated from the services' config schemas by `npm run docs:env`; edit the schemas, not this table) -->";
export const END = '<!-- env-table:end -->';

interface Field {
  description: string | undefined;
  default: unknown;
  optional: boolean;
}

type Def = {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  defaultValue?: unknown;
  shape?: Record<string, z.ZodType>;
};
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Reads a field through its wrappers (default, optional, pipe): its description, default and whether it may be absent. */
function read(schema: z.ZodType): Field {
  let s: z.ZodType | undefined = schema;
  const out: Field = { description: undefined, default: undefined, optional: false };
  while (s) {
    out.description ??= s.description;
    const def = defOf(s);
    if (def.type === 'default') {
      out.default ??= def.defaultValue;
      out.optional = true;
      s = def.innerType;
    } else if (def.type === 'optional') {
      out.optional = true;
      s = def.innerType;
    } else if (def.type === 'pipe') {
      s = defOf(def.in!).type === 'transform' ? def.out : def.in;
    } else s = undefined;
  }
  return out;
}

function shapeOf(schema: z.ZodType): Record<string, z.ZodType> {
  let s = schema;
  for (;;) {
    const def = defOf(s);
    if (def.shape) return def.shape;
    if (def.type === 'pipe') s = def.in!;
    else throw new Error(`not an object schema: ${def.type}`);
  }
}

/** Each service's variables with their description, default (as the table shows it) and whether it is required. */
export function variablesByService(): Record<
  string,
  { name: string; description: string; default: string; required: boolean }[]
> {
  return Object.fromEntries(
    Object.entries(SERVICES).map(([service, schema]) => [
      service,
      Object.entries(shapeOf(schema)).map(([name, field]) => {
        const f = read(field);
        return {
          name,
          description: f.description ?? '',
          default: f.default === undefined ? '' : show(f.default),
          required: !f.optional,
        };
      }),
    ]),
  );
}

const show = (v: unknown): string => (Array.isArray(v) ? v.join(',') : String(v));
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function envTable(): string {
  type Variable = { services: string[]; fields: Field[]; defaults: Map<string, string> };
  const vars = new Map<string, Variable>();
  for (const [service, schema] of Object.entries(SERVICES)) {
    for (const [name, field] of Object.entries(shapeOf(schema))) {
      const f = read(field);
      const v: Variable = vars.get(name) ?? { services: [], fields: [], defaults: new Map<string, string>() };
      v.services.push(service);
      v.fields.push(f);
      const given = f.default !== undefined && show(f.default) !== '';
      v.defaults.set(service, given ? `\`${show(f.default)}\`` : f.optional ? '–' : '– (required)');
      vars.set(name, v);
    }
  }
  const all = Object.keys(SERVICES).length;
  const rows = [...vars.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, v]) => {
      const usedBy = v.services.length === all ? 'all' : v.services.join(', ');
      const defaults = [...new Set(v.defaults.values())];
      const dflt =
        defaults.length === 1
          ? defaults[0]!
          : [...v.defaults.entries()].map(([s, d]) => `${s} ${d}`).join(', ');
      const meaning = v.fields.map((f) => f.description).find(Boolean) ?? '';
      return `| \`${name}\` | ${usedBy} | ${cell(dflt)} | ${cell(meaning)} |`;
    });
  // Kept as generated: the drift test compares it byte for byte, so Prettier leaves it alone.
  return [
    START,
    '<!-- prettier-ignore-start -->',
    '| variable | used by | default | meaning |',
    '|---|---|---|---|',
    ...rows,
    '<!-- prettier-ignore-end -->',
    END,
  ].join('\n');
}

/** The README with its env table replaced by the generated one. */
export function withEnvTable(readme: string): string {
  const from = readme.indexOf(START.slice(0, 20));
  const to = readme.indexOf(END);
  if (from < 0 || to < 0) throw new Error('README: the env-table markers are missing');
  return readme.slice(0, from) + envTable() + readme.slice(to + END.length);
}
