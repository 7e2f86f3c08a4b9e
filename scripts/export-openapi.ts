/**
 * Writes each service's OpenAPI spec and the merged one into openapi/, the typed client's types
 * generated from the merged one into packages/client/src/schema.ts, and the event contracts as
 * JSON Schema into packages/contracts/schemas (npm run openapi). It runs
 * on the sources (the root tsconfig paths point each @tthc package at its src folder), so no build
 * is needed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { eventJsonSchemas } from '@tthc/contracts';
import { generateClientTypes } from './lib/client';
import { generateSpecs } from './lib/openapi';

/** Every generated file, by its path in the repository. */
async function generated(): Promise<Record<string, string>> {
  const specs = await generateSpecs();
  const files: Record<string, string> = {};
  for (const [name, content] of Object.entries(specs)) files[`openapi/${name}`] = content;
  files['packages/client/src/schema.ts'] = await generateClientTypes(specs['openapi.json'] ?? '{}');
  // The event contracts as JSON Schema, one file per type and version.
  for (const [name, content] of Object.entries(eventJsonSchemas()))
    files[`packages/contracts/schemas/${name}`] = content;
  return files;
}

async function main(): Promise<void> {
  const files = await generated();
  if (process.argv.includes('--stdout')) {
    // For the staleness test: a fresh process, so no schema registry is shared with other tests.
    const text = JSON.stringify(files);
    // A pipe takes the output asynchronously: exit only once it is written.
    await new Promise<void>((resolve) => process.stdout.write(text, () => resolve()));
    return;
  }
  const root = join(__dirname, '..');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  const openapi = Object.keys(files).filter((f) => f.startsWith('openapi/'));
  const events = Object.keys(files).filter((f) => f.startsWith('packages/contracts/'));
  console.log(
    `wrote ${openapi.join(', ')}, packages/client/src/schema.ts and ${events.length} event schemas to packages/contracts/schemas`,
  );
}

// Builders may leave lazy connections behind (queues, pools); the specs are written, so end here.
main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
