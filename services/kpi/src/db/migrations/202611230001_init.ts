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
  await createProcessedEventsTable(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['processed_events', 'procedure_facts', 'received_daily']) await db.schema.dropTable(t).execute();
}
