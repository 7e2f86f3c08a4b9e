// Redis for local use: found (explicit URL, local server, a container) or redis-server from PATH.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { discover, isOff, noop, type Finder, type Found } from './discovery';
import { displayPath, REPO_ROOT } from './paths';
import {
  checkPort,
  defaultLog,
  findOnPath,
  isOrphan,
  liveProcess,
  once,
  openLogFile,
  readTrimmed,
  sleep,
  stopProcess,
  superviseChild,
  tailFile,
  type Log,
  type StopStep,
} from './processes';
import { pingRedis } from './redis-ping';
import { maskUrl } from './secrets';

export const LOCAL_REDIS_URL = 'redis://127.0.0.1:6379';
export const DEFAULT_EMBEDDED_REDIS_PORT = 6390;
const START_TIMEOUT_MS = 15_000;
const STOP_STEPS: StopStep[] = [
  ['SIGTERM', 10_000],
  ['SIGKILL', 5_000],
];

const REDIS_HELP =
  'Redis not found: set REDIS_URL, start one on 127.0.0.1:6379, or install redis-server (apt-get install redis-server / brew install redis)';

export interface EmbeddedRedisOptions {
  /** Default 6390. */
  port?: number | string | undefined;
  /** Where the pid file and log go; default <repo>/.data. */
  stateDir?: string | undefined;
  log?: Log | undefined;
}

export interface RedisOptions extends EmbeddedRedisOptions {
  /** Used as it is when set (REDIS_URL, TEST_REDIS_URL). */
  url?: string | undefined;
  /** The local server to try first (default redis://127.0.0.1:6379); "off" skips it. */
  probeUrl?: string | undefined;
  containers?: Finder | undefined;
  preferContainers?: boolean | undefined;
  /** A help line for when nothing can be had (default: how to get a Redis for `npm start`). */
  help?: string | undefined;
}

/**
 * Redis for local use, in the order of `discover`: `url`; else a Redis answering PING at
 * `probeUrl`; else `containers`; else `redis-server` from PATH on 127.0.0.1:`port`, without
 * persistence. Throws a one-line Error when none of these is possible.
 */
export async function ensureRedis(options: RedisOptions = {}): Promise<Found> {
  const log = options.log ?? defaultLog;
  const probe = options.probeUrl ?? LOCAL_REDIS_URL;
  const local: Finder = async () => {
    const result = await pingRedis(probe, 1000);
    if (result === 'auth')
      log(`a Redis at ${maskUrl(probe)} wants a password; not using it (set REDIS_URL to use it)`);
    return result === 'ok' ? { url: probe, stop: noop, embedded: false } : null;
  };
  return discover({
    what: 'Redis',
    explicitUrl: options.url,
    local: isOff(options.probeUrl) ? undefined : local,
    containers: options.containers,
    preferContainers: options.preferContainers,
    embedded: () => embeddedRedis({ ...options, log }, options.help ?? REDIS_HELP),
  });
}

async function waitForRedis(url: string, ms: number, gone: () => boolean): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (gone()) return false;
    if ((await pingRedis(url, 500)) === 'ok') return true;
    await sleep(100);
  }
  return false;
}

/**
 * Something already answers on our private port: our own redis-server left behind by a killed
 * run (adopt it, so stop() ends it), or another live run's (share it, leave it running).
 */
function reuseRunning(url: string, port: number, pidFile: string, log: Log) {
  const pid = Number.parseInt(readTrimmed(pidFile) ?? '', 10);
  const info = liveProcess(pid, /redis-server/);
  if (info && isOrphan(info)) {
    log(`adopting redis-server left running by an earlier run (pid ${pid}, port ${port})`);
    const stop = once(async () => {
      await stopProcess({ target: pid, steps: STOP_STEPS, log, name: 'redis-server' });
      fs.rmSync(pidFile, { force: true });
    });
    return { url, stop, embedded: true };
  }
  log(`reusing the Redis already answering on 127.0.0.1:${port}; it will be left running`);
  return { url, stop: noop, embedded: false };
}

function spawnRedis(bin: string, port: number, logFile: string) {
  const logFd = openLogFile(logFile);
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  args.push('--daemonize', 'no', '--maxmemory-policy', 'noeviction', '--dir', os.tmpdir());
  // own process group: a terminal Ctrl-C must not reach it before the services stop
  const child = spawn(bin, args, { detached: true, stdio: ['ignore', logFd, logFd], cwd: os.tmpdir() });
  fs.closeSync(logFd);
  return child;
}

/** The last line redis-server logged, without its timestamp prefix. */
function lastLogLine(logFile: string): { line: string; portTaken: boolean } {
  const tail = tailFile(logFile, 5);
  const line = (tail.split('\n').pop() ?? '').replace(/^\d+:\w \d+ \w+ \d+ [\d:.]+ [#*.-] /, '');
  return { line, portTaken: /in use/i.test(tail) };
}

/** redis-server from PATH on 127.0.0.1:`port`, stopped by `stop()`; or the one already there. */
export async function embeddedRedis(options: EmbeddedRedisOptions = {}, help = REDIS_HELP) {
  const log = options.log ?? defaultLog;
  const bin = findOnPath('redis-server');
  if (!bin) throw new Error(help);
  const port = checkPort(options.port ?? DEFAULT_EMBEDDED_REDIS_PORT, 'embedded Redis');
  const url = `redis://127.0.0.1:${port}`;
  const stateDir = path.resolve(options.stateDir ?? path.join(REPO_ROOT, '.data'));
  fs.mkdirSync(stateDir, { recursive: true });
  const pidFile = path.join(stateDir, `redis-${port}.pid`);
  const logFile = path.join(stateDir, `redis-${port}.log`);
  if ((await pingRedis(url, 500)) === 'ok') return reuseRunning(url, port, pidFile, log);

  log(`starting redis-server on 127.0.0.1:${port} (log: ${displayPath(logFile)})`);
  const child = spawnRedis(bin, port, logFile);
  const watch = superviseChild(child, 'SIGTERM', () => fs.rmSync(pidFile, { force: true }));
  if (child.pid) fs.writeFileSync(pidFile, `${child.pid}\n`);
  if (!(await waitForRedis(url, START_TIMEOUT_MS, watch.gone)) || watch.spawnError()) {
    await stopProcess({ target: child, steps: [['SIGKILL', 5_000]] });
    watch.release();
    fs.rmSync(pidFile, { force: true });
    const { line, portTaken } = lastLogLine(logFile);
    throw new Error(
      `redis-server did not start on 127.0.0.1:${port}: ${watch.spawnError()?.message ?? (line || 'no answer')}` +
        (portTaken ? ' (port taken: set EMBEDDED_REDIS_PORT to another port)' : ''),
    );
  }
  const stop = once(async () => {
    await stopProcess({ target: child, steps: STOP_STEPS, log, name: 'redis-server' });
    watch.release();
    fs.rmSync(pidFile, { force: true });
  });
  return { url, stop, embedded: true };
}
