import path from 'node:path';

/** The checkout: src/ and dist/ both sit three levels below it (packages/local-infra/<dir>). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** A path relative to the working directory when it lies below it, else absolute. */
export function displayPath(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}
