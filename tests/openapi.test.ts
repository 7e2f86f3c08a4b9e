import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

/** True when the operation's request or success response (following $refs) carries an example. */
function hasExample(node: unknown, schemas: Record<string, unknown>, seen: Set<string>): boolean {
  if (Array.isArray(node)) return node.some((n) => hasExample(n, schemas, seen));
  if (!node || typeof node !== 'object') return false;
  const obj = node as Record<string, unknown>;
  if ('example' in obj || 'examples' in obj) return true;
  const ref = obj['$ref'];
  if (typeof ref === 'string' && !seen.has(ref)) {
    seen.add(ref);
    if (hasExample(schemas[ref.split('/').pop() ?? ''], schemas, seen)) return true;
  }
  return Object.values(obj).some((v) => hasExample(v, schemas, seen));
}

describe('committed OpenAPI specs', () => {
  let files: Record<string, string>;
  beforeAll(() => {
    // A process of its own: zod keeps schema ids in a process-wide registry that other test
    // files in this worker would share.
    const out = execFileSync(
      process.execPath,
      [require.resolve('tsx/cli'), join(__dirname, '..', 'scripts', 'export-openapi.ts'), '--stdout'],
      {
        cwd: join(__dirname, '..'),
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    files = JSON.parse(out) as Record<string, string>;
  }, 60_000);

  it('are up to date with the code, as are the client types and event schemas (run `npm run openapi` after changing a route)', () => {
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining(['openapi/openapi.json', 'packages/client/src/schema.ts']),
    );
    for (const [name, content] of Object.entries(files)) {
      const path = join(__dirname, '..', name);
      const committed = existsSync(path) ? readFileSync(path, 'utf8') : '(missing)';
      expect({ name, content: committed }).toEqual({ name, content });
    }
  });

  it('give every operation an id, a tag, a success response with an example, and problem+json errors', () => {
    const merged = JSON.parse(files['openapi/openapi.json'] ?? '{}');
    const problems: string[] = [];
    for (const [path, item] of Object.entries<Record<string, any>>(merged.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        if (!op.operationId) problems.push(`${where}: no operationId`);
        if (!op.tags?.length) problems.push(`${where}: no tag`);
        const statuses = Object.keys(op.responses ?? {});
        const success = statuses.find((s) => s.startsWith('2'));
        if (!success) problems.push(`${where}: no success response`);
        if (!statuses.some((s) => s.startsWith('4'))) problems.push(`${where}: no error response`);
        if (!hasExample(op, merged.components.schemas, new Set())) problems.push(`${where}: no example`);
        for (const s of statuses.filter((x) => Number(x) >= 400)) {
          if (!op.responses[s].content?.['application/problem+json'])
            problems.push(`${where} ${s}: not problem+json`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
