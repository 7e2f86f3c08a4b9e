import { createOutboxTable } from '@tthc/bus';
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // unaccent gives accent-insensitive search (`duoc` finds `Dược`); the wrapper is immutable so
  // it can be indexed. pg_trgm makes `%...%` searches use an index.
  await sql`create extension if not exists unaccent with schema public`.execute(db);
  await sql`create extension if not exists pg_trgm with schema public`.execute(db);
  await sql`
    create or replace function f_unaccent(text) returns text
    language sql immutable parallel safe strict
    as $$ select lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$`.execute(db);
  // Vietnamese order for names (a ă â b c d đ e ê ...), from ICU.
  await sql`create collation if not exists vi (provider = icu, locale = 'vi-VN')`.execute(db);

  await db.schema
    .createTable('fields')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('agencies')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('parent_code', 'text', (c) => c.references('agencies.code'))
    .addColumn('level', 'text', (c) => c.notNull().check(sql`level in ('province','district','commune')`))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('agencies_not_own_parent', sql`parent_code is distinct from code`)
    .execute();
  await db.schema.createIndex('agencies_parent_idx').on('agencies').column('parent_code').execute();

  await db.schema
    .createTable('procedures')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('draft','published','suspended','abolished')`),
    )
    .addColumn('current_version', 'integer', (c) => c.notNull())
    .addColumn('row_version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('procedure_versions')
    .addColumn('procedure_id', 'uuid', (c) => c.notNull().references('procedures.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('draft','published')`))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('field_code', 'text', (c) => c.notNull().references('fields.code'))
    .addColumn('deciding_agency_code', 'text', (c) => c.notNull().references('agencies.code'))
    .addColumn('receiving_agency_code', 'text', (c) => c.notNull().references('agencies.code'))
    .addColumn('authority_level', 'text', (c) => c.notNull())
    .addColumn('online_level', 'text', (c) =>
      c.notNull().check(sql`online_level in ('full','partial','none')`),
    )
    .addColumn('legacy_level', 'integer', (c) => c.check(sql`legacy_level between 1 and 4`))
    .addColumn('fee_bearing', 'boolean', (c) => c.notNull())
    .addColumn('complete', 'boolean', (c) => c.notNull())
    .addColumn('inter_agency', 'boolean', (c) => c.notNull())
    .addColumn('content', 'jsonb', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('local_code', 'text')
    .addColumn('decision_number', 'text')
    .addColumn('decision_signed_on', 'date')
    .addColumn('national_published_on', 'date')
    .addColumn('valid_from', 'date')
    .addColumn('valid_to', 'date')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('procedure_versions_pk', ['procedure_id', 'version'])
    .addCheckConstraint(
      'procedure_versions_published_has_decision',
      sql`state = 'draft' or (decision_number is not null and decision_signed_on is not null and valid_from is not null)`,
    )
    .addCheckConstraint('procedure_versions_window', sql`valid_to is null or valid_to > valid_from`)
    .execute();
  await sql`create index procedure_versions_search_idx on procedure_versions using gin (f_unaccent(name || ' ' || code) gin_trgm_ops)`.execute(
    db,
  );
  await sql`create index procedure_versions_window_idx on procedure_versions (valid_from, valid_to) where state = 'published'`.execute(
    db,
  );
  await sql`create index procedure_versions_name_idx on procedure_versions ((name collate vi), code)`.execute(
    db,
  );

  // Append-only history of the lifecycle: each change with its decision and effective date.
  await db.schema
    .createTable('procedure_history')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('procedure_id', 'uuid', (c) => c.notNull().references('procedures.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('action', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`action in ('created','updated','published','amended','suspended','resumed','abolished','imported')`,
        ),
    )
    .addColumn('status_after', 'text', (c) => c.notNull())
    .addColumn('decision_number', 'text')
    .addColumn('decision_signed_on', 'date')
    .addColumn('effective_from', 'date')
    .addColumn('reason', 'text')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('procedure_history_status_idx')
    .on('procedure_history')
    .columns(['procedure_id', 'effective_from', 'id'])
    .execute();
  await sql`
    create function procedure_history_append_only() returns trigger language plpgsql as $$
    begin raise exception 'procedure_history is append-only'; end $$`.execute(db);
  await sql`
    create trigger procedure_history_no_change before update or delete on procedure_history
    for each row execute function procedure_history_append_only()`.execute(db);

  await createOutboxTable(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['outbox', 'procedure_history', 'procedure_versions', 'procedures', 'agencies', 'fields']) {
    await db.schema.dropTable(t).execute();
  }
  await sql`drop function if exists procedure_history_append_only()`.execute(db);
}
