/** Writes the README's table of environment variables from the services' config schemas (npm run docs:env). */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withEnvTable } from './lib/env-table';

const file = join(__dirname, '..', 'README.md');
writeFileSync(file, withEnvTable(readFileSync(file, 'utf8')));
console.log('wrote the environment table of README.md');
process.exit(0);
