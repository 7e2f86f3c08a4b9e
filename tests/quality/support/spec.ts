import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A JSON Schema node of the spec, after $refs are inlined. */
export type Schema = Record<string, any>;

export interface Param {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: Schema;
}

export interface Operation {
  /** The operationId, or method and path when the spec has none. */
  id: string;
  operationId: string | undefined;
  method: string;
  /** The templated path, e.g. /v1/dossiers/{code}/accept */
  path: string;
  params: Param[];
  /** The JSON body the operation declares, if any, with its documented example when there is one. */
  body: { contentType: string; required: boolean; schema: Schema; example?: unknown } | undefined;
  summary: string | undefined;
  description: string | undefined;
  tags: string[];
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']);

export const SPEC_PATH = join(__dirname, '..', '..', '..', 'openapi', 'openapi.json');

export function readSpec(): { text: string; doc: any } {
  const text = readFileSync(SPEC_PATH, 'utf8');
  return { text, doc: JSON.parse(text) };
}

/**
 * Inlines every `#/components/schemas/...` reference. A reference that is missing (the spec has
 * some, see the lint test) or that recurses becomes the empty schema: the generator then treats
 * the value as "anything", which is enough to derive invalid inputs around it.
 */
export function deref(node: unknown, components: Record<string, Schema>, trail: readonly string[] = []): any {
  if (Array.isArray(node)) return node.map((n) => deref(n, components, trail));
  if (!node || typeof node !== 'object') return node;
  const obj = node as Record<string, unknown>;
  const ref = obj['$ref'];
  if (typeof ref === 'string') {
    const name = ref.startsWith('#/components/schemas/')
      ? ref.slice('#/components/schemas/'.length)
      : undefined;
    const target = name === undefined ? undefined : components[name];
    if (!target || trail.includes(ref)) return {};
    return deref(target, components, [...trail, ref]);
  }
  const out: Schema = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k === '$id' || k === '$schema') continue;
    out[k] = deref(v, components, trail);
  }
  return out;
}

/** Every operation of the merged spec, with parameters and JSON body schema resolved. */
export function operationsOf(doc: any): Operation[] {
  const components: Record<string, Schema> = doc.components?.schemas ?? {};
  const out: Operation[] = [];
  for (const [path, item] of Object.entries<Record<string, any>>(doc.paths ?? {})) {
    const shared: any[] = item.parameters ?? [];
    for (const [method, op] of Object.entries<any>(item)) {
      if (!METHODS.has(method)) continue;
      const params: Param[] = [...shared, ...(op.parameters ?? [])].map((p: any) => ({
        name: String(p.name),
        in: p.in,
        required: p.required === true,
        schema: deref(p.schema ?? {}, components),
      }));
      const json = op.requestBody?.content?.['application/json'];
      out.push({
        id: String(op.operationId ?? `${method} ${path}`),
        operationId: typeof op.operationId === 'string' && op.operationId !== '' ? op.operationId : undefined,
        method: method.toUpperCase(),
        path,
        params,
        body: json
          ? {
              contentType: 'application/json',
              required: op.requestBody.required === true,
              schema: deref(json.schema ?? {}, components),
              ...(json.example !== undefined ? { example: json.example } : {}),
            }
          : undefined,
        summary: op.summary,
        description: op.description,
        tags: op.tags ?? [],
      });
    }
  }
  return out;
}
