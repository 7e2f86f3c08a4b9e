import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * CPU time (user + system, ms) a process has used, from /proc (Linux; 0 elsewhere). On a shared,
 * noisy machine the CPU a request costs is steadier than the requests a second.
 */
export function cpuMsOf(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the whole line, in clock ticks (100 a second)
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/** CPU time (user + system, ms) this process has used. */
export function ownCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** The local processes of that exact name (pgrep -x), in pid order; none when there are none. */
export function pidsNamed(name: string): number[] {
  try {
    return execSync(`pgrep -x ${name}`, { encoding: 'utf8' }).trim().split('\n').map(Number);
  } catch {
    return [];
  }
}

/** A process's resident memory now and at its peak, in kB. */
export interface Memory {
  /** VmRSS: resident set size now. */
  rssKb: number;
  /** VmHWM: the highest resident set size the process has had since it started. */
  hwmKb: number;
}

/** A process's VmRSS and VmHWM from /proc/<pid>/status (Linux; null elsewhere or once it is gone). */
export function memoryOf(pid: number | undefined): Memory | null {
  if (pid === undefined) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    const memory = { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
    return Number.isFinite(memory.rssKb) && Number.isFinite(memory.hwmKb) ? memory : null;
  } catch {
    return null;
  }
}

export interface Started {
  name: string;
  url: string;
  child: ChildProcess;
  /** CPU time the process has used so far, in ms. */
  cpuMs: () => number;
  stop: () => Promise<void>;
}

/**
 * Starts a built service (`node services/<name>/dist/main.js`) as its own process, as a
 * deployment runs it, and waits until its /health answers.
 */
export function startService(
  name: string,
  env: Record<string, string>,
  options: {
    timeoutMs?: number;
    /** Told the child as soon as it is spawned: a caller can stop it even if it never answers. */
    onSpawn?: (child: ChildProcess) => void;
  } = {},
): Promise<Started> {
  return startProcess(name, [`services/${name}/dist/main.js`], env, options);
}

/**
 * Starts `node <args>` with PORT and HOST set (BENCH_NODE_ARGS before the args) and waits until
 * its /health answers.
 */
export async function startProcess(
  name: string,
  args: string[],
  env: Record<string, string>,
  {
    timeoutMs = 60_000,
    onSpawn,
  }: {
    timeoutMs?: number;
    onSpawn?: (child: ChildProcess) => void;
  } = {},
): Promise<Started> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the services.
  const nodeArgs = (process.env['BENCH_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  onSpawn?.(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${name} did not answer /health on ${url}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    name,
    url,
    child,
    cpuMs: () => cpuMsOf(child.pid),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
