import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The house style is checked, not hoped for: `npm run lint` ends with `prettier --check .` under
 * the repository's own configuration, and a file written against that style fails it.
 */
const root = join(__dirname, '..', '..');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tthc-style-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function check(name: string, text: string): { status: number | null; output: string } {
  const file = join(dir, name);
  writeFileSync(file, text);
  // the project's own configuration, as `npm run lint` uses it
  const config = join(root, '.prettierrc.json');
  const r = spawnSync(join(root, 'node_modules', '.bin', 'prettier'), ['--check', '--config', config, file], {
    cwd: root,
    encoding: 'utf8',
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('house style', () => {
  it('the lint script runs the formatting check', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.lint).toContain('npm run format:check');
    expect(pkg.scripts['format:check']).toBe('prettier --check .');
  });

  it('fails on a file in another style (double quotes, no trailing comma, a line over the width)', () => {
    const long = Array.from({ length: 30 }, (_, i) => `"item${i}"`).join(', ');
    const r = check('unformatted.ts', `export const items = [${long}]\n`);
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('unformatted.ts');
  });

  it('passes the same code written in the house style', () => {
    const r = check('formatted.ts', "export const greeting = 'xin chào';\n");
    expect(r.status).toBe(0);
  });
});
