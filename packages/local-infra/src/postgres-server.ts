// The embedded postgres server process: reuse one already on the data dir, or start and watch one.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { noop } from './discovery';
import { displayPath } from './paths';
import { embeddedUrl, ensureDatabase, WRONG_SERVER } from './postgres-client';
import { inspectPostmasterPid, logFileOf, passwordFileOf } from './postgres-data-dir';
import type { UserIds } from './postgres-user';
import {
  isOrphan,
  once,
  openLogFile,
  sleep,
  stopProcess,
  superviseChild,
  tailFile,
  tcpAnswers,
  type Log,
  type StopStep,
} from './processes';

const START_TIMEOUT_MS = 120_000;
/** SIGINT = "fast" shutdown: roll back open transactions, checkpoint, exit. */
const STOP_STEPS: StopStep[] = [
  ['SIGINT', 30_000],
  ['SIGQUIT', 5_000],
  ['SIGKILL', 5_000],
];
const ABORT_STEPS: StopStep[] = [
  ['SIGINT', 10_000],
  ['SIGKILL', 5_000],
];

export interface Cluster {
  dataDir: string;
  port: number;
  password: string;
  database: string;
  log: Log;
}

export interface Server {
  url: string;
  stop: () => Promise<void>;
}

const adminUrlOf = (c: Cluster, port: number) => embeddedUrl(port, c.password, 'postgres');

/**
 * A postgres already running on this data dir (left over from a killed run, or another
 * process's): adopt an orphan (stop() ends it), share another live run's (left running).
 */
export async function reuseRunning(c: Cluster): Promise<Server | null> {
  const running = inspectPostmasterPid(c.dataDir, c.log);
  if (!running) return null;
  const port = running.port ?? c.port;
  try {
    await ensureDatabase({ adminUrl: adminUrlOf(c, port), database: c.database, dataDir: c.dataDir });
  } catch (err) {
    throw new Error(
      `A postgres (pid ${running.pid}) is already running on ${c.dataDir} but does not accept connections on port ${port} (${(err as Error).message}); stop it and retry`,
    );
  }
  const url = embeddedUrl(port, c.password, c.database);
  if (isOrphan(running.info)) {
    c.log(`adopting embedded Postgres left running by an earlier run (pid ${running.pid}, port ${port})`);
    const steps: StopStep[] = [
      ['SIGINT', 30_000],
      ['SIGQUIT', 5_000],
    ];
    return {
      url,
      stop: once(() => stopProcess({ target: running.pid, steps, log: c.log, name: 'postgres' })),
    };
  }
  c.log(
    `reusing embedded Postgres already started by another process (pid ${running.pid}, port ${port}); it will be left running`,
  );
  return { url, stop: noop };
}

/** The lines the server logged since `from` (a byte offset), for an error message. */
function logSince(logFile: string, from: number): string {
  try {
    const fd = fs.openSync(logFile, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const buf = Buffer.alloc(Math.max(0, size - from));
      fs.readSync(fd, buf, 0, buf.length, from);
      return buf.toString('utf8').split('\n').filter(Boolean).slice(-15).join('\n');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return tailFile(logFile, 15);
  }
}

function spawnServer(c: Cluster, bin: string, ids: UserIds | null, flags: string[]) {
  const logFile = logFileOf(c.dataDir);
  const logFd = openLogFile(logFile);
  const args = ['-D', c.dataDir, '-p', String(c.port), '-c', 'listen_addresses=127.0.0.1'];
  args.push('-c', 'unix_socket_directories=', '-c', 'max_connections=300', ...flags);
  c.log(`starting embedded Postgres on 127.0.0.1:${c.port} (log: ${displayPath(logFile)})`);
  const logStart = fs.fstatSync(logFd).size;
  // Own process group (detached), so a Ctrl-C in the terminal does not reach it before the
  // services using it have stopped.
  const child = spawn(bin, args, {
    cwd: c.dataDir,
    detached: true,
    stdio: ['ignore', logFd, logFd],
    env: { ...process.env, LC_MESSAGES: 'C' },
    ...(ids ? { uid: ids.uid, gid: ids.gid } : {}),
  });
  fs.closeSync(logFd);
  return { child, newLog: () => logSince(logFile, logStart) };
}

/** Stop a server that failed to come up, and say why in one error. */
async function abort(child: ChildProcess, release: () => void, message: string): Promise<never> {
  await stopProcess({ target: child, steps: ABORT_STEPS });
  release();
  throw new Error(message);
}

/** Start postgres on the cluster and wait until it accepts connections and has the database. */
export async function startServer(
  c: Cluster,
  bin: string,
  ids: UserIds | null,
  flags: string[],
): Promise<Server> {
  if (await tcpAnswers(c.port)) {
    throw new Error(
      `Port ${c.port} on 127.0.0.1 is already in use; set EMBEDDED_PG_PORT to a free port (or DATABASE_URL to use that server)`,
    );
  }
  const { child, newLog } = spawnServer(c, bin, ids, flags);
  const watch = superviseChild(child, 'SIGINT');
  const deadline = Date.now() + START_TIMEOUT_MS;
  let lastErr: (Error & { code?: string }) | null = null;
  for (;;) {
    if (watch.gone()) {
      watch.release();
      const out = newLog();
      const hint = /already in use/i.test(out)
        ? ` (port ${c.port} is taken: set EMBEDDED_PG_PORT to another port)`
        : '';
      const how = watch.spawnError()?.message ?? `code ${child.exitCode ?? child.signalCode}`;
      throw new Error(`Embedded Postgres exited during start-up (${how})${hint}${out ? `\n${out}` : ''}`);
    }
    try {
      await ensureDatabase({ adminUrl: adminUrlOf(c, c.port), database: c.database, dataDir: c.dataDir });
      break;
    } catch (err) {
      lastErr = err as Error & { code?: string };
      // 57P03 (starting up, in recovery) and refused connections: keep waiting
      if (lastErr.code === WRONG_SERVER) {
        await abort(
          child,
          watch.release,
          `Embedded Postgres could not take port ${c.port}: ${lastErr.message}; set EMBEDDED_PG_PORT to a free port`,
        );
      }
      if (lastErr.code === '28P01') {
        await abort(
          child,
          watch.release,
          `Embedded Postgres rejected the password in ${passwordFileOf(c.dataDir)}; delete ${c.dataDir} and ${passwordFileOf(c.dataDir)} to start afresh (this erases the local data), or set DATABASE_URL`,
        );
      }
    }
    if (Date.now() > deadline) {
      await abort(
        child,
        watch.release,
        `Embedded Postgres did not accept connections on 127.0.0.1:${c.port} within ${START_TIMEOUT_MS / 1000} s (${lastErr?.message})\n${newLog()}`,
      );
    }
    await sleep(200);
  }
  const stop = once(async () => {
    await stopProcess({ target: child, steps: STOP_STEPS, log: c.log, name: 'postgres' });
    watch.release();
  });
  return { url: embeddedUrl(c.port, c.password, c.database), stop };
}
