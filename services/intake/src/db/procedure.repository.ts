import type { Executor } from '@tthc/db';
import type { Insertable, Selectable } from 'kysely';
import { inForceOn, type ProcedureHistory, type ProcedureInForce } from '../domain/procedure-in-force';
import type { IntakeDb, ProcedureStatusCopyTable, ProcedureVersionCopyTable } from './schema';

export type ProcedureVersionCopy = Selectable<ProcedureVersionCopyTable>;

/** Records a published version; a redelivered event rewrites the same row. */
export async function upsertProcedureVersion(
  db: Executor<IntakeDb>,
  row: Insertable<ProcedureVersionCopyTable>,
): Promise<void> {
  await db
    .insertInto('procedure_versions')
    .values(row)
    .onConflict((oc) => oc.columns(['code', 'version']).doNothing())
    .execute();
}

export async function addProcedureStatus(
  db: Executor<IntakeDb>,
  row: Insertable<ProcedureStatusCopyTable>,
): Promise<void> {
  await db
    .insertInto('procedure_status')
    .values(row)
    .onConflict((oc) => oc.columns(['code', 'effective_from', 'event_version']).doNothing())
    .execute();
}

/** Every version and status change the copy holds of one procedure (what decides the one in force on a date). */
export async function procedureHistory(db: Executor<IntakeDb>, code: string): Promise<ProcedureHistory> {
  const [versions, statuses] = await Promise.all([
    db.selectFrom('procedure_versions').selectAll().where('code', '=', code).execute(),
    db
      .selectFrom('procedure_status')
      .select(['effective_from', 'status', 'event_version'])
      .where('code', '=', code)
      .execute(),
  ]);
  return { versions, statuses };
}

/** The version in force on a civil date, if the procedure was published and not suspended or abolished then. */
export async function procedureInForce(
  db: Executor<IntakeDb>,
  code: string,
  date: string,
): Promise<ProcedureInForce | undefined> {
  return inForceOn(await procedureHistory(db, code), date);
}

/** The version in force on a date whatever its status then (history imports keep what was used). */
export async function procedureVersionAt(
  db: Executor<IntakeDb>,
  code: string,
  date: string,
): Promise<ProcedureVersionCopy | undefined> {
  return db
    .selectFrom('procedure_versions')
    .selectAll()
    .where('code', '=', code)
    .where('valid_from', '<=', date)
    .orderBy('valid_from', 'desc')
    .orderBy('version', 'desc')
    .executeTakeFirst();
}

/** One version of a procedure as the intake copied it. */
export async function findProcedureVersion(
  db: Executor<IntakeDb>,
  code: string,
  version: number,
): Promise<ProcedureVersionCopy | undefined> {
  return db
    .selectFrom('procedure_versions')
    .selectAll()
    .where('code', '=', code)
    .where('version', '=', version)
    .executeTakeFirst();
}
