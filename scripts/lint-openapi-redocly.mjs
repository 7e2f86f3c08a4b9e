/**
 * Lints openapi/openapi.json with Redocly's `recommended` ruleset and prints the problems as
 * JSON lines' array ({ rule, severity, pointer, message }) on stdout. A script of its own because
 * @redocly/openapi-core is ESM only (the test runs it in a child process).
 */
import { createConfig, lint } from '@redocly/openapi-core';
import { fileURLToPath } from 'node:url';

const spec = fileURLToPath(new URL(process.argv[2] ?? '../openapi/openapi.json', import.meta.url));
const config = await createConfig({ extends: ['recommended'] });
const problems = await lint({ ref: spec, config });
const out = problems.map((p) => ({
  rule: p.ruleId,
  severity: p.severity,
  pointer: p.location[0]?.pointer ?? '',
  message: p.message,
}));
process.stdout.write(JSON.stringify(out, null, 1) + '\n');
