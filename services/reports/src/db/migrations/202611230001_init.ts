import { createOutboxTable, createProcessedEventsTable } from '@tthc/bus';
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('reports')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('params', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('queued','running','done','failed')`),
    )
    .addColumn('artifact', 'jsonb')
    .addColumn('error', 'text')
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('reports_created_idx').on('reports').columns(['created_at']).execute();
  await createOutboxTable(db);
  await createProcessedEventsTable(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['processed_events', 'outbox', 'reports']) await db.schema.dropTable(t).execute();
}
