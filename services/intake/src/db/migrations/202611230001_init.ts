import { createOutboxTable, createProcessedEventsTable } from '@tthc/bus';
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('procedure_versions')
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('procedure_id', 'uuid', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('field_code', 'text', (c) => c.notNull())
    .addColumn('deciding_agency_code', 'text', (c) => c.notNull())
    .addColumn('receiving_agency_code', 'text', (c) => c.notNull())
    .addColumn('online_level', 'text', (c) => c.notNull())
    .addColumn('methods', 'jsonb', (c) => c.notNull())
    .addColumn('components', 'jsonb', (c) => c.notNull())
    .addColumn('inter_agency', 'jsonb')
    .addColumn('fee_bearing', 'boolean', (c) => c.notNull())
    .addColumn('valid_from', 'date', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('procedure_versions_pk', ['code', 'version'])
    .execute();
  await db.schema
    .createTable('procedure_status')
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('effective_from', 'date', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('event_version', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('procedure_status_pk', ['code', 'effective_from', 'event_version'])
    .execute();
  await db.schema
    .createTable('dossiers')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('procedure_code', 'text', (c) => c.notNull())
    .addColumn('procedure_version', 'integer', (c) => c.notNull())
    .addColumn('field_code', 'text', (c) => c.notNull())
    .addColumn('agency_code', 'text', (c) => c.notNull())
    .addColumn('receiving_agency_code', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('direct','online','postal')`))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('applicant_kind', 'text', (c) => c.notNull())
    .addColumn('applicant_name', 'text', (c) => c.notNull())
    .addColumn('applicant_contact', 'jsonb', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addColumn('due_at', 'timestamptz')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('dossiers_agency_received_idx').on('dossiers').columns(['agency_code', 'received_at']).execute();
  await db.schema
    .createTable('dossier_serials')
    .addColumn('agency_code', 'text', (c) => c.notNull())
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('last_serial', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('dossier_serials_pk', ['agency_code', 'day'])
    .execute();
  await createOutboxTable(db);
  await createProcessedEventsTable(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['processed_events', 'outbox', 'dossier_serials', 'dossiers', 'procedure_status', 'procedure_versions']) {
    await db.schema.dropTable(t).execute();
  }
}
