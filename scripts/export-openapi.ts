/** Writes each service's OpenAPI spec and the merged one into openapi/ (npm run openapi). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSpecs } from './lib/openapi';

async function main(): Promise<void> {
  const dir = join(__dirname, '..', 'openapi');
  mkdirSync(dir, { recursive: true });
  const files = await generateSpecs();
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  console.log(`wrote ${Object.keys(files).map((f) => `openapi/${f}`).join(', ')}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
