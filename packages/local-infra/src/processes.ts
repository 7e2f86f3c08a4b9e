// Processes this package starts, finds or adopts: liveness, parentage, graceful stops.
import { execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export type Log = (msg: string) => void;

export const defaultLog: Log = (msg) => void process.stderr.write(`[infra] ${msg}\n`);

export interface ProcInfo {
  ppid: number;
  cmd: string;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const errorCode = (err: unknown): unknown => (err as { code?: unknown } | null)?.code;

export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errorCode(err) === 'EPERM';
  }
}

/** { ppid, cmd } of a live process, or null. Linux via /proc, else ps. */
export function procInfo(pid: number): ProcInfo | null {
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
    return m ? { ppid: Number(m[1]), cmd: m[2] ?? '' } : null;
  } catch {
    return null;
  }
}

/** The live process `pid` when its command line matches `cmd`, else null. */
export function liveProcess(pid: number, cmd: RegExp): ProcInfo | null {
  const info = isAlive(pid) ? procInfo(pid) : null;
  return info && cmd.test(info.cmd) ? info : null;
}

/** True when the process's parent is gone (re-parented to init, or to a subreaper that is not node). */
export function isOrphan(info: ProcInfo | null): boolean {
  if (!info) return false;
  if (info.ppid <= 1) return true;
  const parent = procInfo(info.ppid);
  return !parent || !/node/i.test(path.basename(parent.cmd.split(' ')[0] ?? ''));
}

const hasExited = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null;

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (hasExited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onExit = () => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      child.removeListener('exit', onExit);
      resolve(false);
    }, ms);
    child.once('exit', onExit);
  });
}

/** Alive and not a zombie (an exited orphan waits for init to reap it). */
function isRunning(pid: number): boolean {
  if (!isAlive(pid)) return false;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

async function waitForPidExit(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!isRunning(pid)) return true;
    await sleep(100);
  }
  return !isRunning(pid);
}

export type StopStep = [signal: NodeJS.Signals, waitMs: number];

export interface StopOptions {
  /** A ChildProcess we own, or the bare pid of an adopted orphan. */
  target: ChildProcess | number;
  steps: StopStep[];
  log?: Log;
  name?: string;
}

/** Send one signal and wait; true once the process is gone. */
async function signalAndWait(target: ChildProcess | number, [sig, ms]: StopStep): Promise<boolean> {
  if (typeof target === 'number') {
    if (!isRunning(target)) return true;
    try {
      process.kill(target, sig);
    } catch {
      return true;
    }
    return waitForPidExit(target, ms);
  }
  if (hasExited(target)) return true;
  try {
    target.kill(sig);
  } catch {
    /* already gone */
  }
  return waitForExit(target, ms);
}

/**
 * Stop a process gracefully: each step sends a signal and waits, escalating to the next
 * (e.g. [['SIGINT', 30000], ['SIGQUIT', 5000], ['SIGKILL', 5000]]).
 */
export async function stopProcess({ target, steps, log, name = 'process' }: StopOptions): Promise<void> {
  for (const step of steps) {
    if (await signalAndWait(target, step)) return;
    log?.(`${name} did not stop after ${step[0]} within ${Math.round(step[1] / 1000)} s`);
  }
}

/** A stop() that runs once, however often it is called. */
export function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | null = null;
  return () => (done ??= fn());
}

/**
 * Watch a child we spawned detached: remember a spawn error, and kill it if this process
 * exits without stopping it (`release()` undoes that once it is stopped).
 */
export function superviseChild(child: ChildProcess, signal: NodeJS.Signals, onExit: () => void = () => {}) {
  let spawnError: Error | null = null;
  child.on('error', (err) => {
    spawnError = err;
  });
  const killOnExit = () => {
    try {
      child.kill(signal);
    } catch {
      /* gone */
    }
    onExit();
  };
  process.on('exit', killOnExit);
  return {
    spawnError: () => spawnError,
    /** Exited, or never started. */
    gone: () => spawnError !== null || hasExited(child),
    release: () => void process.removeListener('exit', killOnExit),
  };
}

export function tailFile(file: string, lines = 25): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.split('\n').filter(Boolean).slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Open (append) a log file for a child's stdout/stderr; truncate it when it grew large. */
export function openLogFile(file: string): number {
  try {
    if (fs.statSync(file).size > 20 * 1024 * 1024) fs.truncateSync(file, 0);
  } catch {
    /* does not exist yet */
  }
  return fs.openSync(file, 'a', 0o644);
}

/** The trimmed content of a file, or null when it is absent or empty. */
export function readTrimmed(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8').trim() || null;
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return null;
    throw err;
  }
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function tcpAnswers(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (result: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export function findOnPath(cmd: string): string | null {
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
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

/** A valid TCP port, or a one-line error naming what it is for. */
export function checkPort(value: unknown, what: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`Invalid ${what} port: ${value}`);
  return port;
}
