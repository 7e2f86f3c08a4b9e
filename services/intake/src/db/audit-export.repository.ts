import type { Executor } from '@tthc/db';
import type { IntakeDb } from './schema';

/** The range of an export: from the start of `from` to the end of `to` (UTC instants). */
export interface ExportRange {
  from: Date;
  to: Date;
}

/** A page of the dossiers' audit trail in the range, in the order it was written (by id). */
export async function trailPage(
  db: Executor<IntakeDb>,
  range: ExportRange,
  after: string | null,
  limit: number,
) {
  let q = db
    .selectFrom('dossier_history as h')
    .innerJoin('dossiers as d', 'd.id', 'h.dossier_id')
    .select([
      'h.id',
      'd.code as dossier_code',
      'h.dossier_version as version',
      'h.action',
      'h.from_status',
      'h.to_status',
      'h.actor',
      'h.actor_name',
      'h.actor_role',
      'h.actor_agency',
      'h.at',
      'h.payload',
    ])
    .where('h.at', '>=', range.from)
    .where('h.at', '<', range.to)
    .orderBy('h.id')
    .limit(limit);
  if (after !== null) q = q.where('h.id', '>', after);
  return q.execute();
}

/** A page of the personal-data access log in the range, in the order it was written. */
export async function personalDataAccessPage(
  db: Executor<IntakeDb>,
  range: ExportRange,
  after: string | null,
  limit: number,
) {
  let q = db
    .selectFrom('personal_data_access as a')
    .leftJoin('dossiers as d', 'd.id', 'a.dossier_id')
    .select([
      'a.id',
      'a.at',
      'a.actor',
      'a.actor_role',
      'a.actor_agency',
      'a.client_address',
      'd.code as dossier_code',
      'a.feedback_id',
      'a.purpose',
    ])
    .where('a.at', '>=', range.from)
    .where('a.at', '<', range.to)
    .orderBy('a.id')
    .limit(limit);
  if (after !== null) q = q.where('a.id', '>', after);
  return q.execute();
}
