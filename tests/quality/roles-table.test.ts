import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { END, mergedDocument, rolesTable, START } from '../../scripts/lib/roles-table';

describe("the README's table of who may call what", () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

  it('is the one the merged document generates (run `npm run openapi` then `npm run docs:roles`)', () => {
    const start = readme.indexOf(START);
    const end = readme.indexOf(END) + END.length;
    expect(start).toBeGreaterThanOrEqual(0);
    expect(readme.slice(start, end)).toBe(rolesTable());
  });

  it('names every operation of the merged document once', () => {
    const table = rolesTable();
    for (const [path, item] of Object.entries(mergedDocument().paths)) {
      if (!path.startsWith('/v1/')) continue;
      for (const method of Object.keys(item)) {
        expect(table.split(`\`${method.toUpperCase()} ${path}\``)).toHaveLength(2);
      }
    }
  });
});
