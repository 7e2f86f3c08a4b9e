import type { Selectable } from 'kysely';
import type { NotifyExecutor, OfficerContactTable } from './notification.schema';

export type OfficerContactRow = Selectable<OfficerContactTable>;

export async function findOfficerContact(
  db: NotifyExecutor,
  officer: string,
): Promise<OfficerContactRow | undefined> {
  return db.selectFrom('officer_contacts').selectAll().where('officer', '=', officer).executeTakeFirst();
}

/** Active contacts: the reminder scan loads them once per run (a department has hundreds, not millions). */
export async function activeOfficerContacts(db: NotifyExecutor): Promise<OfficerContactRow[]> {
  return db.selectFrom('officer_contacts').selectAll().where('active', '=', true).execute();
}

/** Keyset page by officer id. */
export async function listOfficerContacts(
  db: NotifyExecutor,
  filter: {
    agencyCode?: string | undefined;
    agencyCodes?: string[] | undefined;
    unit?: string | undefined;
    after?: string | undefined;
    limit: number;
  },
): Promise<OfficerContactRow[]> {
  let q = db.selectFrom('officer_contacts').selectAll();
  if (filter.agencyCode) q = q.where('agency_code', '=', filter.agencyCode);
  if (filter.agencyCodes)
    q =
      filter.agencyCodes.length > 0
        ? q.where('agency_code', 'in', filter.agencyCodes)
        : q.where('officer', 'is', null);
  if (filter.unit) q = q.where('unit', '=', filter.unit);
  if (filter.after) q = q.where('officer', '>', filter.after);
  return q
    .orderBy('officer')
    .limit(filter.limit + 1)
    .execute();
}

export async function upsertOfficerContact(
  db: NotifyExecutor,
  row: OfficerContactRow,
): Promise<OfficerContactRow> {
  const { officer: _officer, ...set } = row;
  return db
    .insertInto('officer_contacts')
    .values(row)
    .onConflict((oc) => oc.column('officer').doUpdateSet(set))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteOfficerContact(db: NotifyExecutor, officer: string): Promise<boolean> {
  const r = await db.deleteFrom('officer_contacts').where('officer', '=', officer).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
