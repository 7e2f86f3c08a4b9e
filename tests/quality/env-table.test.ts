import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envTable, END } from '../../scripts/lib/env-table';

describe("the README's table of environment variables", () => {
  it('is the one the config schemas generate (run `npm run docs:env` after changing a schema)', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    const start = readme.indexOf('<!-- env-table:start');
    const end = readme.indexOf(END) + END.length;
    expect(readme.slice(start, end)).toBe(envTable());
  });

  it('gives every variable a meaning', () => {
    const empty = envTable()
      .split('\n')
      .filter((row) => row.startsWith('| `') && row.endsWith('|  |'));
    expect(empty).toEqual([]);
  });
});
