// Integration tier: these open sockets to real servers (the ones the test harness found) and to
// ports nothing listens on; one starts a redis-server from PATH.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import {
  discover,
  ensurePostgres,
  ensureRedis,
  findOnPath,
  pingRedis,
  withDatabase,
  type Finder,
} from '@tthc/local-infra';

/** Set by the global setup (tests/setup/global-setup.ts): servers that really answer. */
const harnessPostgres = () => process.env['TTHC_TEST_ADMIN_URL']!;
const harnessRedis = () => process.env['TTHC_TEST_REDIS_URL']!;

/** A port nothing listens on (the kernel's pick, released at once). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const stub = (url: string, calls: string[]): Finder => {
  return async () => {
    calls.push(url);
    return { url, stop: async () => {}, embedded: false };
  };
};
const nothing = (name: string, calls: string[]): Finder => {
  return async () => {
    calls.push(name);
    return null;
  };
};

describe('the discovery order', () => {
  it('takes an explicit URL without trying anything else', async () => {
    const calls: string[] = [];
    const found = await discover({
      what: 'Redis',
      explicitUrl: 'redis://elsewhere:6379',
      local: stub('local', calls),
      embedded: stub('embedded', calls),
    });
    expect(found).toMatchObject({ url: 'redis://elsewhere:6379', source: 'environment', embedded: false });
    expect(calls).toEqual([]);
  });

  it('tries the local server, then containers, then starts one', async () => {
    const calls: string[] = [];
    const found = await discover({
      what: 'Redis',
      local: nothing('local', calls),
      containers: nothing('containers', calls),
      embedded: stub('embedded', calls),
    });
    expect(calls).toEqual(['local', 'containers', 'embedded']);
    expect(found.source).toBe('embedded');
  });

  it('asks for containers before the local server only when told to prefer them', async () => {
    const calls: string[] = [];
    const found = await discover({
      what: 'Redis',
      preferContainers: true,
      local: stub('local', calls),
      containers: stub('containers', calls),
    });
    expect(calls).toEqual(['containers']);
    expect(found.source).toBe('testcontainers');
  });

  it('says what is missing when nothing can be had', async () => {
    await expect(discover({ what: 'Redis', local: nothing('local', []) })).rejects.toThrow('no Redis found');
  });
});

describe('Redis', () => {
  it('uses the Redis that answers PING on the probe URL', async () => {
    const found = await ensureRedis({ probeUrl: harnessRedis() });
    expect(found).toMatchObject({ url: harnessRedis(), source: 'local', embedded: false });
  });

  it('passes over a port nothing listens on', async () => {
    const port = await freePort();
    expect(await pingRedis(`redis://127.0.0.1:${port}`, 500)).toBe('no');
    const calls: string[] = [];
    const found = await ensureRedis({
      probeUrl: `redis://127.0.0.1:${port}`,
      containers: stub('redis://container:6379', calls),
    });
    expect(found).toMatchObject({ url: 'redis://container:6379', source: 'testcontainers' });
  });

  const withRedisServer = findOnPath('redis-server') ? it : it.skip;
  withRedisServer('starts redis-server from PATH when no server answers, and stops it', async () => {
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-infra-'));
    const port = await freePort();
    try {
      const found = await ensureRedis({ probeUrl: 'off', port, stateDir, log: () => {} });
      expect(found).toMatchObject({ url: `redis://127.0.0.1:${port}`, source: 'embedded', embedded: true });
      expect(await pingRedis(found.url)).toBe('ok');
      expect(fs.existsSync(path.join(stateDir, `redis-${port}.pid`))).toBe(true);
      await found.stop();
      expect(await pingRedis(found.url, 500)).toBe('no');
      expect(fs.existsSync(path.join(stateDir, `redis-${port}.pid`))).toBe(false);
    } finally {
      fs.rmSync(stateDir, { recursive: true, force: true });
    }
  });
});

describe('Postgres', () => {
  it('uses the server on the probe URL and creates the database in it', async () => {
    const database = `tthc_t_local_infra_${process.pid}`;
    const found = await ensurePostgres({ probeUrl: harnessPostgres(), database });
    try {
      expect(found).toMatchObject({ url: withDatabase(harnessPostgres(), database), source: 'local' });
      const client = new pg.Client({ connectionString: found.url });
      await client.connect();
      const { rows } = await client.query<{ db: string }>('select current_database() as db');
      await client.end();
      expect(rows[0]?.db).toBe(database);
    } finally {
      const admin = new pg.Client({ connectionString: harnessPostgres() });
      await admin.connect();
      await admin.query(`drop database if exists ${database}`);
      await admin.end();
    }
  });

  it('passes over a server that will not have us, and says so', async () => {
    const refused = new URL(harnessPostgres());
    refused.username = 'no_such_role_local_infra';
    const heard: string[] = [];
    const found = await ensurePostgres({
      probeUrl: refused.toString(),
      containers: stub('postgres://container/postgres', []),
      log: (msg) => heard.push(msg),
    });
    expect(found.source).toBe('testcontainers');
    expect(heard).toEqual([expect.stringContaining('answers but will not have us')]);
  });

  it('passes over a port nothing listens on, silently', async () => {
    const port = await freePort();
    const heard: string[] = [];
    const found = await ensurePostgres({
      log: (msg) => heard.push(msg),
      probeUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
      containers: stub('postgres://container/postgres', []),
    });
    expect(found.source).toBe('testcontainers');
    expect(heard).toEqual([]);
  });
});
