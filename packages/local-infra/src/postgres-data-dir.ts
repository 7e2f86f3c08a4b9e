// The embedded cluster's files: the data dir, its password file, its lock file.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { liveProcess, readTrimmed, type Log, type ProcInfo } from './processes';

/** The password file and server log sit next to the data dir: `<dataDir>-password`, `<dataDir>.log`. */
export const passwordFileOf = (dataDir: string): string => `${dataDir}-password`;
export const logFileOf = (dataDir: string): string => `${dataDir}.log`;

export const isInitialised = (dataDir: string): boolean => fs.existsSync(path.join(dataDir, 'PG_VERSION'));

/**
 * The cluster's password, kept next to the data dir so restarts can log in again; created on
 * first use (another process may create it at the same moment: then its password wins).
 */
export function clusterPassword(dataDir: string): string {
  const passwordFile = passwordFileOf(dataDir);
  let password = readTrimmed(passwordFile);
  if (!password && isInitialised(dataDir)) {
    throw new Error(
      `Embedded Postgres in ${dataDir} exists but its password file ${passwordFile} is missing; ` +
        `delete ${dataDir} to start afresh (this erases the local data), or set DATABASE_URL`,
    );
  }
  if (!password) {
    password = crypto.randomBytes(24).toString('hex');
    try {
      fs.writeFileSync(passwordFile, `${password}\n`, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as { code?: string }).code !== 'EEXIST') throw err;
      password = readTrimmed(passwordFile) ?? password; // written concurrently
    }
  }
  fs.chmodSync(passwordFile, 0o600);
  return password;
}

/** Entries initdb creates; a data dir holding only these (and no PG_VERSION) is a failed initdb. */
const INITDB_ENTRIES = new Set([
  'base',
  'global',
  'pg_commit_ts',
  'pg_dynshmem',
  'pg_logical',
  'pg_multixact',
  'pg_notify',
  'pg_replslot',
  'pg_serial',
  'pg_snapshots',
  'pg_stat',
  'pg_stat_tmp',
  'pg_subtrans',
  'pg_tblspc',
  'pg_twophase',
  'pg_wal',
  'pg_xact',
  'postgresql.conf',
  'postgresql.auto.conf',
  'pg_hba.conf',
  'pg_ident.conf',
  'postmaster.opts',
  'postmaster.pid',
]);

/** Before initdb: the data dir must be absent or empty; the remains of an interrupted initdb go. */
export function prepareForInitdb(dataDir: string, log: Log): void {
  if (!fs.existsSync(dataDir)) return;
  const entries = fs.readdirSync(dataDir);
  if (entries.length === 0) return;
  if (!entries.every((e) => INITDB_ENTRIES.has(e))) {
    throw new Error(
      `${dataDir} is not empty and is not a Postgres data directory; remove it or pass another dataDir`,
    );
  }
  log(`removing the remains of an interrupted initdb in ${dataDir}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
}

export interface RunningPostmaster {
  pid: number;
  port: number | null;
  info: ProcInfo;
}

/**
 * Look at postmaster.pid. Returns the live postgres already running on this data dir, or null
 * (after removing a stale lock file).
 */
export function inspectPostmasterPid(dataDir: string, log: Log): RunningPostmaster | null {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  let text: string;
  try {
    text = fs.readFileSync(pidFile, 'utf8');
  } catch {
    return null;
  }
  const lines = text.split('\n');
  const pid = Number.parseInt(lines[0] ?? '', 10);
  const port = Number.parseInt(lines[3] ?? '', 10);
  const info = liveProcess(pid, /postgres/);
  if (info) return { pid, port: Number.isInteger(port) ? port : null, info };
  const why = liveProcess(pid, /./) ? 'not postgres' : 'not running';
  log(`removing stale ${pidFile} (pid ${Number.isNaN(pid) ? '?' : pid} is ${why})`);
  fs.rmSync(pidFile, { force: true });
  return null;
}
