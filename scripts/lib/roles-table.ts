/**
 * The README's table of who may call what, generated from the merged OpenAPI document
 * (openapi/openapi.json, written by `npm run openapi` from each route's `x-access`), so the
 * documentation cannot drift from what the gateway and the services enforce. `npm run docs:roles`
 * writes it; tests/quality/roles-table.test.ts fails when it is stale.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const START =
  '<!-- roles-table:start (generated from the x-roles of openapi/openapi.json by `npm run docs:roles`; change the routes\u2019 x-access, not this table) -->';
export const END = '<!-- roles-table:end -->';

const METHODS = ['get', 'post', 'put', 'delete', 'patch'];

interface Operation {
  'x-roles'?: string[];
  'x-agency-scoped'?: boolean;
  'x-personal-data'?: string[];
}

export function mergedDocument(): { paths: Record<string, Record<string, Operation>> } {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', 'openapi', 'openapi.json'), 'utf8'));
}

const who = (roles: string[] | undefined) =>
  !roles ? 'admin' : roles.includes('public') ? 'public' : roles.join(', ');

/**
 * One row per resource (the path's first segment after /v1) and access: the operations, the
 * roles that may call them (admin may call every one), whether an officer is held to its agency
 * scope, and who sees the personal data they carry (each such read logged).
 */
export function rolesTable(doc = mergedDocument()): string {
  const rows = new Map<string, { resource: string; ops: string[]; cells: string[] }>();
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!path.startsWith('/v1/')) continue;
    const resource = path.split('/')[2] ?? '';
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const cells = [
        who(op['x-roles']),
        op['x-agency-scoped'] ? 'yes' : '',
        op['x-personal-data'] ? `${who(op['x-personal-data'])} (logged)` : '',
      ];
      const key = `${resource}|${cells.join('|')}`;
      const row = rows.get(key) ?? { resource, ops: [], cells };
      row.ops.push(`\`${method.toUpperCase()} ${path}\``);
      rows.set(key, row);
    }
  }
  const sorted = [...rows.values()].sort(
    (a, b) => a.resource.localeCompare(b.resource) || a.ops[0]!.localeCompare(b.ops[0]!),
  );
  return [
    START,
    '<!-- prettier-ignore-start -->',
    '| operations | who (admin: every operation) | agency-scoped | personal data seen by |',
    '|---|---|---|---|',
    ...sorted.map((r) => `| ${r.ops.join(', ')} | ${r.cells.join(' | ')} |`),
    '<!-- prettier-ignore-end -->',
    END,
  ].join('\n');
}

export function withRolesTable(readme: string): string {
  const from = readme.indexOf(START.slice(0, 22));
  const to = readme.indexOf(END);
  if (from < 0 || to < 0) throw new Error('README: the roles-table markers are missing');
  return readme.slice(0, from) + rolesTable() + readme.slice(to + END.length);
}
