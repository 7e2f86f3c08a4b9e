#!/usr/bin/env node
// `npm test`: every check the suite has, in one command, ending with the line CI reads:
// `N passed, N failed` (and `, N skipped`). Static checks (build, typecheck, lint, formatting, boundaries)
// each count as one test; then Jest runs every unit, integration and end-to-end test against
// real Postgres and Redis (see packages/testkit for where they come from).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (label, cmd, args, env = {}) => {
  process.stdout.write(`\n=== ${label}\n`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = r.status === 0;
  process.stdout.write(`=== ${label}: ${ok ? 'ok' : 'FAILED'}\n`);
  return ok;
};

const checks = [
  [
    'build, typecheck and lint (turbo)',
    bin('turbo'),
    ['run', 'build', 'typecheck', 'lint', '--output-logs=errors-only'],
  ],
  ['typecheck tests/, scripts/ and deploy/', bin('tsc'), ['-p', 'tsconfig.json']],
  [
    'lint tests/, scripts/ and deploy/',
    bin('eslint'),
    ['tests', 'scripts', 'deploy', '*.js', '*.mjs', '*.cjs'],
  ],
  ['formatting (prettier --check)', bin('prettier'), ['--check', '--log-level', 'warn', '.']],
  [
    'architecture boundaries (dependency-cruiser)',
    bin('depcruise'),
    ['services', 'packages', '--config', '.dependency-cruiser.cjs'],
  ],
];
let staticPassed = 0;
let staticFailed = 0;
for (const [label, cmd, args] of checks) {
  if (run(label, cmd, args)) staticPassed++;
  else staticFailed++;
}

const out = mkdtempSync(join(tmpdir(), 'tthc-jest-'));
const resultsFile = join(out, 'results.json');
run('jest', bin('jest'), ['--ci', '--json', `--outputFile=${resultsFile}`, ...process.argv.slice(2)], {
  TTHC_SUMMARY_LINE: 'off',
});
let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const r = JSON.parse(readFileSync(resultsFile, 'utf8'));
  passed = r.numPassedTests;
  failed = r.numFailedTests + r.numRuntimeErrorTestSuites;
  skipped = r.numPendingTests + r.numTodoTests;
  if (r.numTotalTests === 0 && r.numRuntimeErrorTestSuites === 0) failed += 1; // a run that ran nothing failed
} catch {
  failed += 1; // Jest did not even report: its set-up failed
}
rmSync(out, { recursive: true, force: true });

passed += staticPassed;
failed += staticFailed;
process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
process.exit(failed === 0 ? 0 : 1);
