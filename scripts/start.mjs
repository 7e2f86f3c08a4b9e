#!/usr/bin/env node
// `npm start` = `turbo run build && node scripts/start.mjs`
//
// Runs the whole suite on one machine: finds or starts Postgres and Redis
// (@tthc/local-infra, in the same order as the tests), starts catalogue,
// intake, kpi and reports, then the gateway once they answer GET /health,
// prints the URLs, and on Ctrl-C (or SIGTERM, or when a service dies) stops
// the services (gateway first), then the Redis and Postgres it started itself.
//
// The terminal shows what a newcomer needs (start-up, warnings and errors, the addresses); every
// log line of every service goes to .data/logs/<service>.log (START_LOGS=all shows them all here).
//
// Environment: DATABASE_URL, REDIS_URL, INTERNAL_AUTH_SECRET, HOST, LOG_LEVEL, START_LOGS,
// QUEUE_PREFIX (default: tthc on a Redis started here, tthc-<checkout> on a shared one),
// MIGRATE_ON_START, SEED_DEMO_DATA (default true here),
// GATEWAY_PORT (default 8080), EMBEDDED_PG_PORT, EMBEDDED_REDIS_PORT,
// POSTGRES_PROBE_URL, REDIS_PROBE_URL (the local servers tried first; "off" skips them).

import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';

// built by `npm start` (turbo run build) before this script runs
import { REPO_ROOT, ensurePostgres, ensureRedis, maskUrl, randomSecret } from '@tthc/local-infra';

const HEALTH_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 15_000;
const REPEAT_SIGNAL_GRACE_MS = 3_000;

const HOST = process.env.HOST || '127.0.0.1';
// where we (and the gateway) reach the services: a wildcard bind is reached on loopback
const REACH_HOST = ['0.0.0.0', '::', '[::]'].includes(HOST) ? '127.0.0.1' : HOST;
const urlHost = REACH_HOST.includes(':') && !REACH_HOST.startsWith('[') ? `[${REACH_HOST}]` : REACH_HOST;

const gatewayPort = Number(process.env.GATEWAY_PORT || 8080);
const SERVICES = [
  { name: 'catalogue', port: 3001 },
  { name: 'intake', port: 3002 },
  { name: 'kpi', port: 3003 },
  { name: 'reports', port: 3004 },
  { name: 'gateway', port: gatewayPort },
].map((s) => ({
  ...s,
  main: path.join(REPO_ROOT, 'services', s.name, 'dist', 'main.js'),
  url: `http://${urlHost}:${s.port}`,
  child: null,
  exited: false,
  exitPromise: null,
}));
const BACKENDS = SERVICES.filter((s) => s.name !== 'gateway');
const GATEWAY = SERVICES.find((s) => s.name === 'gateway');

// ---------------------------------------------------------------------------
// output: every line prefixed with a padded, coloured name

const useColor = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
const COLORS = { catalogue: 36, intake: 32, kpi: 33, reports: 35, gateway: 34, start: 1 };
const NAME_WIDTH = Math.max(...SERVICES.map((s) => s.name.length), 'start'.length);
const paint = (code, text) => (useColor ? `\x1b[${code}m${text}\x1b[0m` : text);
const prefix = (name) => `${paint(COLORS[name] ?? 0, name.padEnd(NAME_WIDTH))} | `;

process.stdout.on('error', () => {}); // e.g. `npm start | head`: keep running, keep stopping cleanly
process.stderr.on('error', () => {});

function say(msg) {
  for (const line of String(msg).split('\n')) process.stdout.write(`${prefix('start')}${line}\n`);
}

// pino JSON lines are passed through as they are, or pretty-printed when
// pino-pretty is installed and we are writing to a terminal.
function loadPretty() {
  if (!process.stdout.isTTY || process.env.LOG_FORMAT === 'json') return null;
  try {
    const require = createRequire(path.join(REPO_ROOT, 'package.json'));
    const { prettyFactory } = require('pino-pretty');
    if (typeof prettyFactory !== 'function') return null;
    return prettyFactory({ colorize: useColor, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
  } catch {
    return null;
  }
}
const pretty = loadPretty();

const LOG_DIR = path.join(REPO_ROOT, '.data', 'logs');
const ALL_LOGS = process.env.START_LOGS === 'all';
const WARN = 40; // pino's level number of warn

/** Whether a service's line is for the terminal: everything with START_LOGS=all, else warnings, errors and non-JSON output. */
function forTerminal(line) {
  if (ALL_LOGS || !line.startsWith('{')) return true;
  try {
    return Number(JSON.parse(line).level ?? WARN) >= WARN;
  } catch {
    return true;
  }
}

function pipeLines(stream, name, dest) {
  fs.mkdirSync(LOG_DIR, { recursive: true });
  const file = fs.createWriteStream(path.join(LOG_DIR, `${name}.log`), { flags: 'a' });
  file.on('error', () => {});
  const rl = readline.createInterface({ input: stream, crlfDelay: Infinity });
  rl.on('line', (line) => {
    file.write(`${line}\n`);
    if (!forTerminal(line)) return;
    let text = line;
    if (pretty && line.startsWith('{')) {
      try {
        text = String(pretty(line)).replace(/\r?\n$/, '');
      } catch {
        text = line;
      }
    }
    for (const l of text.split('\n')) dest.write(`${prefix(name)}${l}\n`);
  });
}

// ---------------------------------------------------------------------------
// state and shutdown

const state = {
  shuttingDown: false,
  shutdown: null,
  firstSignalAt: 0,
  pg: null, // Promise<{ url, stop, embedded, source }>
  redis: null, // Promise<{ url, stop, embedded, source }>
};

const describeExit = (code, signal) =>
  code !== null && code !== undefined ? `exit code ${code}` : `signal ${signal}`;

async function stopChild(svc) {
  if (!svc.child || svc.exited) return;
  try {
    svc.child.kill('SIGTERM');
  } catch {
    /* already gone */
  }
  let timer;
  const timedOut = await Promise.race([
    svc.exitPromise.then(() => false),
    new Promise((resolve) => {
      timer = setTimeout(() => resolve(true), STOP_TIMEOUT_MS);
    }),
  ]);
  clearTimeout(timer);
  if (timedOut && !svc.exited) {
    say(`${svc.name} did not stop within ${STOP_TIMEOUT_MS / 1000} s; killing it`);
    svc.child.kill('SIGKILL');
    await svc.exitPromise;
  }
}

function shutdown(code, reason) {
  if (state.shutdown) return state.shutdown;
  state.shuttingDown = true;
  state.shutdown = (async () => {
    if (reason) say(reason);
    try {
      // the gateway first, so no new requests reach services that are going away
      await stopChild(GATEWAY);
      await Promise.all(BACKENDS.map(stopChild));
      const redis = await state.redis?.catch(() => null);
      if (redis?.embedded) say('stopping Redis');
      if (redis) await redis.stop().catch((err) => say(`could not stop Redis: ${err.message}`));
      const pg = await state.pg?.catch(() => null);
      if (pg?.embedded) say('stopping Postgres');
      if (pg) await pg.stop().catch((err) => say(`could not stop Postgres: ${err.message}`));
    } catch (err) {
      say(`error while stopping: ${err?.stack ?? err}`);
      code = code || 1;
    } finally {
      say(code === 0 ? 'Stopped.' : 'Stopped (with errors).');
      process.exit(code);
    }
  })();
  return state.shutdown;
}

function onSignal(signal) {
  if (!state.shuttingDown) {
    state.firstSignalAt = Date.now();
    say(`${signal} received; stopping (press Ctrl-C again after a few seconds to kill the services at once)`);
    shutdown(0);
    return;
  }
  // Ctrl-C under `npm start` arrives twice (from the terminal and forwarded by
  // npm); only a later, deliberate repeat forces the issue.
  if (Date.now() - state.firstSignalAt < REPEAT_SIGNAL_GRACE_MS) return;
  const running = SERVICES.filter((s) => s.child && !s.exited);
  if (running.length) {
    say(`${signal} received again; killing ${running.map((s) => s.name).join(', ')}`);
    for (const s of running) s.child.kill('SIGKILL');
  }
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => onSignal(signal));

// Under `npm start` our parent is `sh -c "turbo ... && node ..."`; a SIGTERM to
// npm kills that shell and would leave us running unnoticed. Treat losing our
// parent like a SIGHUP.
const initialPpid = process.ppid;
setInterval(() => {
  if (process.ppid !== initialPpid && !state.shuttingDown) {
    state.firstSignalAt = Date.now();
    shutdown(0, 'parent process exited; stopping');
  }
}, 1000).unref();

process.on('uncaughtException', (err) => {
  if (state.shuttingDown) {
    say(`error while stopping: ${err?.stack ?? err}`);
    return;
  }
  shutdown(1, `unexpected error: ${err?.stack ?? err}`);
});
process.on('unhandledRejection', (err) => {
  if (!state.shuttingDown) shutdown(1, `unexpected error: ${err?.stack ?? err}`);
});

// Last resort: never leave a service behind, whatever path leads to exit.
process.on('exit', () => {
  for (const s of SERVICES) {
    if (s.child && !s.exited) {
      try {
        s.child.kill('SIGKILL');
      } catch {
        /* gone */
      }
    }
  }
});

// ---------------------------------------------------------------------------
// services

function startService(svc, env) {
  say(`starting ${svc.name} on ${svc.url}`);
  const child = spawn(process.execPath, [svc.main], {
    cwd: REPO_ROOT,
    env: { ...env, PORT: String(svc.port) },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: Ctrl-C in the terminal reaches only us, and each service gets
    // exactly one SIGTERM from stop() (a second signal would cut its graceful shutdown short).
    detached: true,
  });
  svc.child = child;
  svc.exitPromise = new Promise((resolve) => {
    let settled = false;
    const onGone = (code, signal) => {
      if (settled) return;
      settled = true;
      svc.exited = true;
      resolve();
      if (state.shuttingDown) {
        if (code !== 0 && code !== null) say(`${svc.name} stopped with ${describeExit(code, signal)}`);
        return;
      }
      // A Ctrl-C reaches the services and us together; give our own signal
      // handler a moment before calling this exit unexpected.
      setTimeout(() => {
        if (!state.shuttingDown) {
          shutdown(
            1,
            `${svc.name} exited unexpectedly with ${describeExit(code, signal)}` +
              `${svc.healthy ? '' : ' during start-up'}; stopping everything`,
          );
        }
      }, 300);
    };
    child.once('exit', onGone);
    child.once('error', (err) => {
      say(`${svc.name} could not be started: ${err.message}`);
      onGone(null, 'spawn-error');
    });
  });
  pipeLines(child.stdout, svc.name, process.stdout);
  pipeLines(child.stderr, svc.name, process.stderr);
}

function probeHealth(svc) {
  return new Promise((resolve) => {
    const req = http.get(
      {
        host: REACH_HOST,
        port: svc.port,
        path: '/health',
        agent: false,
        timeout: 2000,
        headers: { connection: 'close' },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

/** Resolves true once GET /health answers 200, false if the service exited or we are stopping. */
async function waitHealthy(svc, deadline) {
  while (!svc.exited && !state.shuttingDown) {
    if (await probeHealth(svc)) {
      svc.healthy = true;
      say(`${svc.name} is up`);
      return true;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${svc.name} did not answer GET ${svc.url}/health within ${HEALTH_TIMEOUT_MS / 1000} s; see its log above`,
      );
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return false;
}

function portFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', (err) => resolve(err.code !== 'EADDRINUSE'));
    srv.listen({ port, host: HOST, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

// ---------------------------------------------------------------------------

async function main() {
  const missing = SERVICES.filter((s) => !fs.existsSync(s.main));
  if (missing.length) {
    throw new Error(
      `not built: ${missing.map((s) => path.relative(REPO_ROOT, s.main)).join(', ')}; run \`npm start\` (it builds first) or \`npm run build\``,
    );
  }
  if (!Number.isInteger(gatewayPort) || gatewayPort <= 0 || gatewayPort > 65535) {
    throw new Error(`GATEWAY_PORT must be a port number, not ${process.env.GATEWAY_PORT}`);
  }
  for (const s of SERVICES) {
    if (!(await portFree(s.port))) {
      throw new Error(
        `port ${s.port} (${s.name}) on ${HOST} is already in use; is the suite already running?` +
          (s === GATEWAY ? ' (GATEWAY_PORT sets the gateway port)' : ''),
      );
    }
  }

  let secret = process.env.INTERNAL_AUTH_SECRET;
  if (secret && secret.length < 32) throw new Error('INTERNAL_AUTH_SECRET must be at least 32 characters');
  secret ||= randomSecret();

  const log = (msg) => say(msg);
  // one after the other: both may print, and Postgres may take a while on first run
  state.pg = ensurePostgres({
    url: process.env.DATABASE_URL,
    probeUrl: process.env.POSTGRES_PROBE_URL,
    port: process.env.EMBEDDED_PG_PORT,
    log,
  });
  const pg = await state.pg;
  if (state.shuttingDown) return;
  state.redis = ensureRedis({
    url: process.env.REDIS_URL,
    probeUrl: process.env.REDIS_PROBE_URL,
    port: process.env.EMBEDDED_REDIS_PORT,
    log,
  });
  const redis = await state.redis;
  if (state.shuttingDown) return;

  const env = {
    ...process.env,
    HOST,
    DATABASE_URL: pg.url,
    REDIS_URL: redis.url,
    INTERNAL_AUTH_SECRET: secret,
    LOG_LEVEL: process.env.LOG_LEVEL || 'info',
    // A Redis shared with other checkouts (a local server, a given URL) gets queues of this
    // checkout's own, so two checkouts never take each other's jobs.
    QUEUE_PREFIX:
      process.env.QUEUE_PREFIX ||
      (redis.source === 'embedded'
        ? 'tthc'
        : `tthc-${crypto.createHash('sha256').update(REPO_ROOT).digest('hex').slice(0, 8)}`),
    MIGRATE_ON_START: process.env.MIGRATE_ON_START || 'true',
    SEED_DEMO_DATA: process.env.SEED_DEMO_DATA || 'true',
    // The slips' QR codes and the messages link a dossier's tracking page: locally, the gateway's.
    TRACKING_URL_BASE: process.env.TRACKING_URL_BASE || `http://${HOST}:${gatewayPort}/v1/tracking`,
  };

  const backendsDeadline = Date.now() + HEALTH_TIMEOUT_MS;
  for (const svc of BACKENDS) startService(svc, env);
  const ok = await Promise.all(BACKENDS.map((svc) => waitHealthy(svc, backendsDeadline)));
  if (!ok.every(Boolean) || state.shuttingDown) return; // the exit handler reports it

  const adminKey = process.env.BOOTSTRAP_ADMIN_API_KEY || demoAdminKey();
  startService(GATEWAY, {
    ...env,
    BOOTSTRAP_ADMIN_API_KEY: adminKey,
    CATALOGUE_URL: SERVICES[0].url,
    INTAKE_URL: SERVICES[1].url,
    KPI_URL: SERVICES[2].url,
    REPORTS_URL: SERVICES[3].url,
  });
  if (!(await waitHealthy(GATEWAY, Date.now() + HEALTH_TIMEOUT_MS)) || state.shuttingDown) return;

  const bold = (t) => paint(1, t);
  process.stdout.write(
    [
      '',
      bold('TTHC suite is up'),
      `  Gateway:  ${GATEWAY.url}`,
      `  API docs: ${GATEWAY.url}/docs`,
      `  OpenAPI:  ${GATEWAY.url}/openapi.json`,
      `  Postgres: ${maskUrl(pg.url)} (${pg.source})   Redis: ${maskUrl(redis.url)} (${redis.source}, queues ${env.QUEUE_PREFIX}:*)`,
      ...(process.env.BOOTSTRAP_ADMIN_API_KEY
        ? [`  Administrator API key: the one given in BOOTSTRAP_ADMIN_API_KEY`]
        : [
            `  Administrator API key: kept in .data/demo-admin-key (printed nowhere)`,
            `  Try:     curl -H "X-API-Key: $(cat .data/demo-admin-key)" ${GATEWAY.url}/v1/dossiers`,
          ]),
      `  Logs:    .data/logs/<service>.log (START_LOGS=all prints every line here)`,
      'Press Ctrl-C to stop.',
      '',
      '',
    ].join('\n'),
  );
}

/**
 * The administrator key of this local installation: generated once (there is no default secret)
 * and kept under .data/ so that it survives restarts.
 */
function demoAdminKey() {
  const file = path.join(REPO_ROOT, '.data', 'demo-admin-key');
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (/^tthc_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{32,}$/.test(existing)) return existing;
  } catch {
    /* first run */
  }
  const prefix = crypto.randomBytes(6).toString('base64url').replace(/[-_]/g, 'x').slice(0, 8);
  const key = `tthc_${prefix}_${crypto.randomBytes(32).toString('base64url')}`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}

main().catch((err) => {
  if (state.shuttingDown) return;
  shutdown(1, `cannot start: ${err?.message ?? err}`);
});
