/**
 * Writes each service's OpenAPI spec and the merged one into openapi/, and the event contracts as
 * JSON Schema into packages/contracts/schemas (npm run openapi). It runs
 * on the sources (the root tsconfig paths point each @tthc package at its src folder), so no build
 * is needed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventJsonSchemas } from '@tthc/contracts';
import { generateSpecs } from './lib/openapi';

async function main(): Promise<void> {
  const files = await generateSpecs();
  if (process.argv.includes('--stdout')) {
    // For the staleness test: a fresh process, so no schema registry is shared with other tests.
    const text = JSON.stringify(files);
    // A pipe takes the output asynchronously: exit only once it is written.
    await new Promise<void>((resolve) => process.stdout.write(text, () => resolve()));
    return;
  }
  const dir = join(__dirname, '..', 'openapi');
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  console.log(
    `wrote ${Object.keys(files)
      .map((f) => `openapi/${f}`)
      .join(', ')}`,
  );
  // The event contracts as JSON Schema, one file per type and version.
  const events = join(__dirname, '..', 'packages', 'contracts', 'schemas');
  mkdirSync(events, { recursive: true });
  const schemas = eventJsonSchemas();
  for (const [name, content] of Object.entries(schemas)) writeFileSync(join(events, name), content);
  console.log(`wrote ${Object.keys(schemas).length} event schemas to packages/contracts/schemas`);
}

// Builders may leave lazy connections behind (queues, pools); the specs are written, so end here.
main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
