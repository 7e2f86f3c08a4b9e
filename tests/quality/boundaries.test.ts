import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * The architecture's boundary rules (.dependency-cruiser.cjs) catch what they are for: a small
 * tree that breaks each rule on purpose, checked with the project's own configuration.
 */
const root = join(__dirname, '..', '..');
let dir: string;

function tree(files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

function violations(): { rule: string; from: string; to: string }[] {
  let out: string;
  try {
    out = execFileSync(
      join(root, 'node_modules', '.bin', 'depcruise'),
      ['services', 'packages', '--config', join(root, '.dependency-cruiser.cjs'), '--output-type', 'json'],
      {
        cwd: dir,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
  } catch (err) {
    out = String((err as { stdout?: string }).stdout ?? '');
  }
  const result = JSON.parse(out) as {
    summary: { violations: { rule: { name: string }; from: string; to: string }[] };
  };
  return result.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tthc-boundaries-'));
  tree({
    'tsconfig.base.json': JSON.stringify({
      compilerOptions: { module: 'commonjs', moduleResolution: 'node' },
    }),
    'packages/kit/src/index.ts':
      "import { x } from '../../../services/intake/src/app';\nexport const y = x;\n",
    'services/catalogue/src/app.ts': "import { x } from '../../intake/src/app';\nexport const z = x;\n",
    'services/intake/src/app.ts':
      "import { feedback } from './feedback';\nimport { notify } from './notifications';\nexport const x = feedback + notify;\n",
    'services/intake/src/feedback/index.ts': "export { feedback } from './routes/feedback.routes';\n",
    'services/intake/src/feedback/routes/feedback.routes.ts':
      "import { rules } from '../../calendar/domain/rule-set';\nexport const feedback = rules;\n",
    'services/intake/src/calendar/index.ts': "export { rules } from './domain/rule-set';\n",
    'services/intake/src/calendar/domain/rule-set.ts': 'export const rules = 1;\n',
    'services/intake/src/notifications/index.ts': 'export const notify = 2;\n',
    'services/intake/src/commands/receive.command.ts':
      "import { notify } from '../notifications';\nimport { rules } from '../calendar';\nexport const r = notify + rules;\n",
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the boundary rules', () => {
  it('report each deliberate violation by its rule, and nothing that keeps the rules', () => {
    const found = violations();
    expect(found).toEqual(
      expect.arrayContaining([
        {
          rule: 'no-package-to-service',
          from: 'packages/kit/src/index.ts',
          to: 'services/intake/src/app.ts',
        },
        {
          rule: 'no-service-to-service',
          from: 'services/catalogue/src/app.ts',
          to: 'services/intake/src/app.ts',
        },
        // A wing reached past its index.ts by another wing.
        {
          rule: 'intake-wing-through-index',
          from: 'services/intake/src/feedback/routes/feedback.routes.ts',
          to: 'services/intake/src/calendar/domain/rule-set.ts',
        },
        // Notifications wired in by anything but the composition files.
        {
          rule: 'intake-notifications-from-composition-only',
          from: 'services/intake/src/commands/receive.command.ts',
          to: 'services/intake/src/notifications/index.ts',
        },
      ]),
    );
    // The composition file reaching wings through their index, and the core through calendar's index, are fine.
    expect(found.filter((v) => v.from === 'services/intake/src/app.ts')).toEqual([]);
    expect(found.filter((v) => v.to === 'services/intake/src/calendar/index.ts')).toEqual([]);
    expect(found).toHaveLength(4);
  });
});
