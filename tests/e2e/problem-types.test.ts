import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isProblemCode, PROBLEM_TYPES, problemTypeFor, type ProblemCode } from '@tthc/service-kit';
import { startSuite, type Suite } from '../support/suite';

/**
 * Issue 16, item 4: every problem `type` the services can answer with comes from one registry
 * (packages/service-kit/src/problem-types.ts) and resolves to a page the gateway serves.
 */
const ROOT = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist' || name === 'test') return [];
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/**
 * The problem codes written in the services' and packages' code: the first argument of the
 * problem helpers and of HttpProblem, `code:` of a problem sent directly, and the codes of the
 * domain refusals the routes turn into problems (BadInput, ParamsRefused, PeriodInputError).
 */
function codesInSources(): Map<string, string> {
  const found = new Map<string, string>();
  const patterns = [
    /problems\.(?:badRequest|conflict|unprocessable)\(\s*'([a-z0-9_]+)'/g,
    /new HttpProblem\(\s*\d+,\s*'([a-z0-9_]+)'/g,
    /status:\s*\d+,\s*code:\s*'([a-z0-9_]+)'/g,
    /new (?:BadInput|ParamsRefused|PeriodInputError)\([^;]*?'([a-z]+_[a-z0-9_]+)'/gs,
    /sendReportProblem\([^)]*'([a-z0-9_]+)'\)/g,
  ];
  const files = ['services', 'packages'].flatMap((top) =>
    readdirSync(join(ROOT, top)).flatMap((pkg) => {
      const src = join(ROOT, top, pkg, 'src');
      try {
        return sources(src);
      } catch {
        return [];
      }
    }),
  );
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const re of patterns) {
      for (const m of text.matchAll(re)) found.set(m[1]!, file.slice(ROOT.length + 1));
    }
  }
  return found;
}

describe('the problem type registry', () => {
  it('holds every problem code written in the code', () => {
    const found = codesInSources();
    expect(found.size).toBeGreaterThan(60);
    const unregistered = [...found].filter(([code]) => !isProblemCode(code)).map(([c, f]) => `${c} (${f})`);
    expect(unregistered).toEqual([]);
  });

  it('describes each type with its status, title and what the client can do', () => {
    for (const [code, info] of Object.entries(PROBLEM_TYPES)) {
      expect({
        code,
        ok: info.status >= 400 && info.status < 600 && info.title !== '' && info.description.length > 20,
      }).toEqual({
        code,
        ok: true,
      });
    }
  });
});

describe('problem type pages through the gateway', () => {
  let suite: Suite;
  beforeAll(async () => {
    suite = await startSuite();
  }, 60_000);
  afterAll(() => suite.close());

  const get = (path: string, accept = 'application/json') =>
    fetch(new URL(path, suite.url), { headers: { accept } });

  it('serves a page for every registered type, without credentials, as JSON or HTML', async () => {
    const list = await get('/problems');
    expect(list.status).toBe(200);
    const { items } = (await list.json()) as { items: { type: string; code: string; status: number }[] };
    expect(items.map((i) => i.code).sort()).toEqual(Object.keys(PROBLEM_TYPES).sort());
    for (const item of items) {
      const res = await get(item.type);
      expect({ type: item.type, status: res.status }).toEqual({ type: item.type, status: 200 });
      expect(await res.json()).toMatchObject({
        type: item.type,
        code: item.code,
        status: PROBLEM_TYPES[item.code as ProblemCode].status,
      });
    }
    const html = await get(problemTypeFor('precondition_failed'), 'text/html');
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await html.text()).toContain('If-Match');
  });

  it('answers an unknown type with a 404 whose own type resolves', async () => {
    const res = await get('/problems/no-such-problem');
    expect(res.status).toBe(404);
    const body = (await res.json()) as { type: string };
    expect((await get(body.type)).status).toBe(200);
  });

  it('gives the problems the suite answers with types that resolve (401, 404, 400, 415, a refused change)', async () => {
    const answers = await Promise.all([
      fetch(`${suite.url}/v1/dossiers`), // no credentials
      fetch(`${suite.url}/v1/nothing-here`, { headers: suite.adminHeaders }),
      fetch(`${suite.url}/v1/dossiers?limit=0`, { headers: suite.adminHeaders }),
      fetch(`${suite.url}/v1/fields`, {
        method: 'POST',
        headers: { ...suite.adminHeaders, 'content-type': 'application/xml' },
        body: '<field/>',
      }),
      fetch(`${suite.url}/v1/procedures/1.000001`, {
        method: 'PUT',
        headers: { ...suite.adminHeaders, 'content-type': 'application/json', 'if-match': '"999"' },
        body: '{}',
      }),
    ]);
    const types = await Promise.all(
      answers.map(async (res) => {
        expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        return ((await res.json()) as { type: string }).type;
      }),
    );
    expect(types.every((t) => t.startsWith('/problems/'))).toBe(true);
    for (const type of types)
      expect({ type, status: (await get(type)).status }).toEqual({ type, status: 200 });
  });
});
