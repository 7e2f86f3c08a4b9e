import type { Executor } from '@tthc/db';
import type { Selectable } from 'kysely';
import type { KpiDb } from './schema';
import type { Comparator } from '../targets/target';

export interface Target {
  id: string;
  agencyCode: string;
  year: number;
  indicator: string;
  comparator: Comparator;
  value: number;
  note: string | null;
  updatedBy: string;
  updatedAt: string;
}

const toTarget = (r: Selectable<KpiDb['targets']>): Target => ({
  id: r.id,
  agencyCode: r.agency_code,
  year: r.year,
  indicator: r.indicator,
  comparator: r.comparator,
  value: Number(r.value),
  note: r.note,
  updatedBy: r.updated_by,
  updatedAt: r.updated_at.toISOString(),
});

export interface TargetInput {
  agencyCode: string;
  year: number;
  indicator: string;
  comparator: Comparator;
  value: number;
  note: string | null;
}

export async function findTarget(
  db: Executor<KpiDb>,
  key: { agencyCode: string; year: number; indicator: string } | { id: string },
  lock = false,
): Promise<Target | undefined> {
  let q = db.selectFrom('targets').selectAll();
  q =
    'id' in key
      ? q.where('id', '=', key.id)
      : q
          .where('agency_code', '=', key.agencyCode)
          .where('year', '=', key.year)
          .where('indicator', '=', key.indicator);
  if (lock) q = q.forUpdate();
  const r = await q.executeTakeFirst();
  return r ? toTarget(r) : undefined;
}

/** Sets a target (one per agency, year and indicator: a second setting changes it). */
export async function upsertTarget(tx: Executor<KpiDb>, t: TargetInput, by: string): Promise<Target> {
  const values = { comparator: t.comparator, value: t.value.toFixed(2), note: t.note, updated_by: by };
  const r = await tx
    .insertInto('targets')
    .values({ agency_code: t.agencyCode, year: t.year, indicator: t.indicator, ...values })
    .onConflict((oc) =>
      oc.columns(['agency_code', 'year', 'indicator']).doUpdateSet({ ...values, updated_at: new Date() }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
  return toTarget(r);
}

export async function deleteTarget(tx: Executor<KpiDb>, id: string): Promise<void> {
  await tx.deleteFrom('targets').where('id', '=', id).execute();
}

/** The targets of a year for some agencies (null: every agency), in agency then indicator order. */
export async function listTargets(
  db: Executor<KpiDb>,
  year: number,
  agencyCodes: readonly string[] | null,
): Promise<Target[]> {
  let q = db.selectFrom('targets').selectAll().where('year', '=', year);
  if (agencyCodes !== null) {
    if (agencyCodes.length === 0) return [];
    q = q.where('agency_code', 'in', [...agencyCodes]);
  }
  return (await q.orderBy('agency_code').orderBy('indicator').execute()).map(toTarget);
}

/** Agencies that have targets (kpi may not have seen a dossier of them yet). */
export async function agenciesWithTargets(db: Executor<KpiDb>): Promise<string[]> {
  return (await db.selectFrom('targets').select('agency_code').distinct().execute()).map(
    (r) => r.agency_code,
  );
}
