import type { DossierStatus } from '@tthc/contracts';
import type { Executor } from '@tthc/db';
import { sql } from 'kysely';
import type { IntakeDb } from './schema';

export interface ReconciliationRow {
  agencyCode: string;
  day: string;
  status: DossierStatus;
  ids: string[];
  codes: string[];
}

/**
 * The received dossiers of a span of instants (the civil days of a reconciliation in Việt Nam),
 * grouped by deciding agency, day of receipt (Asia/Ho_Chi_Minh) and current status, with their ids
 * and codes: what kpi's reconciliation compares its facts with.
 */
export async function receivedByAgencyDayStatus(
  db: Executor<IntakeDb>,
  span: { fromInstant: Date; untilInstant: Date; agencyCodes: readonly string[] | null },
): Promise<ReconciliationRow[]> {
  const agencies =
    span.agencyCodes === null ? sql`true` : sql`agency_code = any(${[...span.agencyCodes]}::text[])`;
  const { rows } = await sql<ReconciliationRow>`
    select agency_code as "agencyCode",
      to_char((received_at at time zone 'Asia/Ho_Chi_Minh')::date, 'YYYY-MM-DD') as day,
      status,
      array_agg(id::text order by id) as ids,
      array_agg(code order by id) as codes
    from dossiers
    where received_at is not null and received_at >= ${span.fromInstant} and received_at < ${span.untilInstant} and ${agencies}
    group by 1, 2, 3
    order by 1, 2, 3`.execute(db);
  return rows;
}

export interface OutboxEventRow {
  id: string;
  type: string;
  schema_version: number;
  source: string;
  entity_id: string;
  entity_version: number;
  occurred_at: Date;
  request_id: string | null;
  payload: unknown;
}

/** Every dossier event intake emitted for some dossiers (the outbox keeps them), in version order. */
export async function dossierEventsEmitted(
  db: Executor<IntakeDb>,
  dossierIds: readonly string[],
): Promise<OutboxEventRow[]> {
  if (dossierIds.length === 0) return [];
  return db
    .selectFrom('outbox')
    .select([
      'id',
      'type',
      'schema_version',
      'source',
      'entity_id',
      'entity_version',
      'occurred_at',
      'request_id',
      'payload',
    ])
    .where('entity_id', 'in', [...dossierIds])
    .where('type', 'like', 'dossier.%')
    .orderBy('entity_id')
    .orderBy('entity_version')
    .orderBy('occurred_at')
    .execute();
}
