import { createProcessedEventsTable } from '@tthc/bus';
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('received_daily')
    .addColumn('agency_code', 'text', (c) => c.notNull())
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('received', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('received_daily_pk', ['agency_code', 'day'])
    .execute();
  await db.schema.createIndex('received_daily_day_idx').on('received_daily').columns(['day']).execute();
  await db.schema
    .createTable('procedure_facts')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('field_code', 'text')
    .addColumn('agency_code', 'text')
    .addColumn('online_level', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // Every dossier event as a fact, with the dossier version so the timeline can be replayed in order.
  await sql`
    create table dossier_facts (
      event_id uuid primary key, type text not null, dossier_id uuid not null, dossier_version integer not null,
      agency_code text not null, field_code text not null, channel text not null,
      occurred_at timestamptz not null, payload jsonb not null)`.execute(db);
  await sql`create index dossier_facts_dossier_idx on dossier_facts (dossier_id, dossier_version)`.execute(
    db,
  );
  await sql`create index dossier_facts_agency_time_idx on dossier_facts (agency_code, occurred_at)`.execute(
    db,
  );
  await sql`
    create table feedback_facts (
      event_id uuid primary key, type text not null, feedback_id uuid not null, agency_code text not null,
      occurred_at timestamptz not null, payload jsonb not null)`.execute(db);
  await createProcessedEventsTable(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'processed_events',
    'feedback_facts',
    'dossier_facts',
    'procedure_facts',
    'received_daily',
  ])
    await db.schema.dropTable(t).execute();
}
