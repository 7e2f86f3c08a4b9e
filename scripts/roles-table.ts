/** Writes the README's table of who may call what from the merged OpenAPI document (npm run docs:roles). */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withRolesTable } from './lib/roles-table';

const file = join(__dirname, '..', 'README.md');
writeFileSync(file, withRolesTable(readFileSync(file, 'utf8')));
console.log('wrote the roles table of README.md');
