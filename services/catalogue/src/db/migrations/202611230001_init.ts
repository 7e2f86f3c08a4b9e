import { createOutboxTable } from '@tthc/bus';
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // unaccent gives accent-insensitive search (`duoc` finds `Dược`); the wrapper is immutable so it can be indexed.
  await sql`create extension if not exists unaccent with schema public`.execute(db);
  await sql`
    create or replace function f_unaccent(text) returns text
    language sql immutable parallel safe strict
    as $$ select lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$`.execute(db);
  await db.schema
    .createTable('fields')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('procedures')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('field_code', 'text', (c) => c.notNull().references('fields.code'))
    .addColumn('agency_code', 'text', (c) => c.notNull())
    .addColumn('processing_days', 'integer', (c) => c.notNull().check(sql`processing_days >= 0`))
    .addColumn('online_level', 'text', (c) => c.notNull().check(sql`online_level in ('full','partial','none')`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('published','abolished')`))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('effective_from', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index procedures_search_idx on procedures (f_unaccent(name || ' ' || code) text_pattern_ops)`.execute(db);
  await db.schema.createIndex('procedures_field_idx').on('procedures').columns(['field_code', 'code']).execute();
  await createOutboxTable(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('outbox').execute();
  await db.schema.dropTable('procedures').execute();
  await db.schema.dropTable('fields').execute();
}
