import type { Selectable } from 'kysely';
import type {
  Channel,
  NotificationAgencySettingsTable,
  NotificationProcedureSettingsTable,
  NotificationSwitchTable,
  NotifyExecutor,
} from './notification.schema';

export type AgencySettingsRow = Selectable<NotificationAgencySettingsTable>;
export type SwitchRow = Selectable<NotificationSwitchTable>;
export type ProcedureSettingsRow = Selectable<NotificationProcedureSettingsTable>;

/** The agency's row and the department-wide `default` row, when they exist. */
export async function agencySettings(
  db: NotifyExecutor,
  agencyCodes: string[],
): Promise<AgencySettingsRow[]> {
  if (agencyCodes.length === 0) return [];
  return db
    .selectFrom('notification_agency_settings')
    .selectAll()
    .where('agency_code', 'in', agencyCodes)
    .execute();
}

export async function allAgencySettings(db: NotifyExecutor): Promise<AgencySettingsRow[]> {
  return db.selectFrom('notification_agency_settings').selectAll().execute();
}

export async function upsertAgencySettings(
  db: NotifyExecutor,
  row: Pick<AgencySettingsRow, 'agency_code' | 'updated_by' | 'updated_at'> &
    Partial<Pick<AgencySettingsRow, 'sms_unaccented' | 'result_place' | 'reminder_windows'>>,
): Promise<AgencySettingsRow> {
  const { agency_code, ...set } = row;
  return db
    .insertInto('notification_agency_settings')
    .values({ sms_unaccented: false, result_place: null, reminder_windows: null, ...row })
    .onConflict((oc) => oc.column('agency_code').doUpdateSet(set))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function switchesFor(db: NotifyExecutor, agencyCodes: string[]): Promise<SwitchRow[]> {
  if (agencyCodes.length === 0) return [];
  return db.selectFrom('notification_switches').selectAll().where('agency_code', 'in', agencyCodes).execute();
}

export async function upsertSwitch(db: NotifyExecutor, row: SwitchRow): Promise<void> {
  await db
    .insertInto('notification_switches')
    .values(row)
    .onConflict((oc) =>
      oc
        .columns(['agency_code', 'event', 'channel'])
        .doUpdateSet({ enabled: row.enabled, updated_by: row.updated_by, updated_at: row.updated_at }),
    )
    .execute();
}

export async function allProcedureSettings(db: NotifyExecutor): Promise<ProcedureSettingsRow[]> {
  return db.selectFrom('notification_procedure_settings').selectAll().execute();
}

export async function procedureSettings(
  db: NotifyExecutor,
  code: string,
): Promise<ProcedureSettingsRow | undefined> {
  return db
    .selectFrom('notification_procedure_settings')
    .selectAll()
    .where('procedure_code', '=', code)
    .executeTakeFirst();
}

export async function upsertProcedureSettings(
  db: NotifyExecutor,
  row: ProcedureSettingsRow,
): Promise<ProcedureSettingsRow> {
  return db
    .insertInto('notification_procedure_settings')
    .values(row)
    .onConflict((oc) =>
      oc.column('procedure_code').doUpdateSet({
        reminder_windows: row.reminder_windows,
        updated_by: row.updated_by,
        updated_at: row.updated_at,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteProcedureSettings(db: NotifyExecutor, code: string): Promise<boolean> {
  const r = await db
    .deleteFrom('notification_procedure_settings')
    .where('procedure_code', '=', code)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** The channels an applicant chose for a dossier; undefined when none were recorded. */
export async function preferencesOf(db: NotifyExecutor, dossierId: string): Promise<Channel[] | undefined> {
  const row = await db
    .selectFrom('notification_preferences')
    .select('channels')
    .where('dossier_id', '=', dossierId)
    .executeTakeFirst();
  return row?.channels;
}

export async function upsertPreferences(
  db: NotifyExecutor,
  row: { dossier_id: string; channels: Channel[]; updated_by: string; updated_at: Date },
): Promise<void> {
  await db
    .insertInto('notification_preferences')
    .values(row)
    .onConflict((oc) =>
      oc
        .column('dossier_id')
        .doUpdateSet({ channels: row.channels, updated_by: row.updated_by, updated_at: row.updated_at }),
    )
    .execute();
}

export async function allSwitches(db: NotifyExecutor): Promise<SwitchRow[]> {
  return db.selectFrom('notification_switches').selectAll().execute();
}
