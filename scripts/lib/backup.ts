import { createReadStream, createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';

/** The schemas of the suite, one per process. */
export const SCHEMAS = ['catalogue', 'intake', 'kpi', 'reports', 'gateway'] as const;

/** Migration bookkeeping is the restoring side's own (it migrates before loading). */
const SKIPPED = /^kysely_migration/;

/**
 * A table whose comment starts `derived:` is kept by triggers from other tables (kpi's stock
 * changes from its dossiers): loading those tables fills it again, so it is not backed up.
 */
const DERIVED = 'derived:';

interface Manifest {
  format: 'tthc-logical-backup/1';
  takenAt: string;
  /** Tables in load order (a table after those it references), with their columns and row counts. */
  tables: { schema: string; table: string; columns: string[]; rows: number; file: string }[];
}

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** The suite's tables, ordered so that a table comes after every table its foreign keys reference. */
async function tablesInLoadOrder(client: pg.Client) {
  const { rows: tables } = await client.query<{ schema: string; table: string }>(
    `select table_schema as schema, table_name as "table" from information_schema.tables
     where table_type = 'BASE TABLE' and table_schema = any($1)
       and coalesce(obj_description(format('%I.%I', table_schema, table_name)::regclass, 'pg_class'), '')
           not like $2 || '%'
     order by 1, 2`,
    [SCHEMAS, DERIVED],
  );
  const { rows: refs } = await client.query<{ from: string; to: string }>(
    `select fn.nspname || '.' || f.relname as "from", tn.nspname || '.' || t.relname as "to"
     from pg_constraint c
     join pg_class f on f.oid = c.conrelid join pg_namespace fn on fn.oid = f.relnamespace
     join pg_class t on t.oid = c.confrelid join pg_namespace tn on tn.oid = t.relnamespace
     where c.contype = 'f' and fn.nspname = any($1)`,
    [SCHEMAS],
  );
  const name = (t: { schema: string; table: string }) => `${t.schema}.${t.table}`;
  const wanted = tables.filter((t) => !SKIPPED.test(t.table));
  const deps = new Map(wanted.map((t) => [name(t), new Set<string>()]));
  for (const r of refs) if (r.from !== r.to) deps.get(r.from)?.add(r.to);
  const ordered: typeof wanted = [];
  const done = new Set<string>();
  while (ordered.length < wanted.length) {
    const ready = wanted.filter(
      (t) => !done.has(name(t)) && [...deps.get(name(t))!].every((d) => done.has(d) || !deps.has(d)),
    );
    if (ready.length === 0) throw new Error('circular foreign keys between the suite tables');
    for (const t of ready) {
      ordered.push(t);
      done.add(name(t));
    }
  }
  return ordered;
}

async function columnsOf(client: pg.Client, schema: string, table: string): Promise<string[]> {
  const { rows } = await client.query<{ column_name: string }>(
    `select column_name from information_schema.columns
     where table_schema = $1 and table_name = $2 and is_generated = 'NEVER' order by ordinal_position`,
    [schema, table],
  );
  return rows.map((r) => r.column_name);
}

/**
 * A logical backup of every schema of the suite into a directory: one gzipped CSV per table
 * (COPY, streamed) and a manifest with the load order and row counts, all read in one
 * repeatable-read transaction so the tables agree with each other.
 */
export async function backupDatabase(databaseUrl: string, dir: string): Promise<Manifest> {
  mkdirSync(dir, { recursive: true });
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    const manifest: Manifest = {
      format: 'tthc-logical-backup/1',
      takenAt: new Date().toISOString(),
      tables: [],
    };
    for (const { schema, table } of await tablesInLoadOrder(client)) {
      const columns = await columnsOf(client, schema, table);
      const file = `${schema}.${table}.csv.gz`;
      const source = client.query(
        copyTo(
          `copy ${ident(schema)}.${ident(table)} (${columns.map(ident).join(', ')}) to stdout with (format csv)`,
        ),
      );
      await pipeline(source, createGzip(), createWriteStream(join(dir, file)));
      const { rows } = await client.query<{ n: string }>(
        `select count(*) as n from ${ident(schema)}.${ident(table)}`,
      );
      manifest.tables.push({ schema, table, columns, rows: Number(rows[0]!.n), file });
    }
    await client.query('commit');
    writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
  } finally {
    await client.end();
  }
}

/**
 * Loads a backup into a database whose schemas are migrated and empty (the services' start-up
 * migrates; so does `scripts/restore.ts` before calling this), in one transaction: every table in
 * load order, then every sequence moved past the highest id restored. Refuses a database that
 * holds a procedure or a dossier already.
 */
export async function restoreDatabase(databaseUrl: string, dir: string): Promise<Manifest> {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  if (manifest.format !== 'tthc-logical-backup/1') throw new Error(`not a backup of this suite: ${dir}`);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('begin');
    // An empty database: migrated, maybe with the reference rows migrations seed (templates,
    // rule sets), but no procedure and no dossier. Those reference rows give way to the backup's.
    for (const held of ['catalogue.procedures', 'intake.dossiers']) {
      const { rows } = await client.query(`select 1 from ${held} limit 1`);
      if (rows.length > 0) throw new Error(`${held} is not empty: restore into an empty database`);
    }
    await client.query(
      `truncate ${manifest.tables.map((t) => `${ident(t.schema)}.${ident(t.table)}`).join(', ')} cascade`,
    );
    for (const t of manifest.tables) {
      const target = `${ident(t.schema)}.${ident(t.table)}`;
      const sink = client.query(
        copyFrom(`copy ${target} (${t.columns.map(ident).join(', ')}) from stdin with (format csv)`),
      );
      await pipeline(createReadStream(join(dir, t.file)), createGunzip(), sink);
    }
    const { rows: sequences } = await client.query<{ table: string; column: string; sequence: string }>(
      `select c.table_schema || '.' || c.table_name as "table", c.column_name as "column",
              pg_get_serial_sequence(quote_ident(c.table_schema) || '.' || quote_ident(c.table_name), c.column_name) as sequence
       from information_schema.columns c
       where c.table_schema = any($1)
         and pg_get_serial_sequence(quote_ident(c.table_schema) || '.' || quote_ident(c.table_name), c.column_name) is not null`,
      [SCHEMAS],
    );
    for (const s of sequences) {
      const [schema, table] = s.table.split('.') as [string, string];
      await client.query(
        `select setval($1, coalesce((select max(${ident(s.column)}) from ${ident(schema)}.${ident(table)}), 0) + 1, false)`,
        [s.sequence],
      );
    }
    await client.query('commit');
    return manifest;
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
}
