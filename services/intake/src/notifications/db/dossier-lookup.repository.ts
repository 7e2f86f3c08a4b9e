import type { Selectable } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { DossierHistoryTable, DossierTable } from '../../db/schema';
import type { Channel, NotifyExecutor } from './notification.schema';

export type DossierForMessage = Selectable<DossierTable>;

/** Everything a citizen message of one dossier change is written from, read at once. */
export interface CitizenMessageSources {
  dossier: Pick<
    DossierForMessage,
    | 'id'
    | 'code'
    | 'agency_code'
    | 'procedure_name'
    | 'applicant_contact'
    | 'applicant_phone'
    | 'received_at'
    | 'due_at'
    | 'source_system'
    | 'created_at'
  >;
  /** The agency's row and the department-wide `default` row, when they exist. */
  settings: { agency_code: string; sms_unaccented: boolean; result_place: string | null }[];
  /** The agency's and the `default` switches of the event. */
  switches: { agency_code: string; event: string; channel: Channel; enabled: boolean }[];
  /** The channels the applicant chose; null when none were recorded. */
  preferences: Channel[] | null;
  /** The template in force (the highest version) of the event on each channel that has one. */
  templates: { channel: Channel; version: number; subject: string | null; body: string }[];
}

/**
 * The dossier, its agency's and the department-wide settings and switches, the applicant's
 * channels and the templates in force for the event, in one statement (one round trip in the
 * consumer's transaction instead of one per table and channel). Undefined: no such dossier.
 */
export async function citizenMessageSources(
  db: NotifyExecutor,
  dossierId: string,
  event: string,
): Promise<CitizenMessageSources | undefined> {
  return (await citizenMessageSourcesOf(db, [{ dossierId, event }])).get(dossierId.toLowerCase())?.(event);
}

/**
 * The sources of the messages of many changes at once (a consumer's batch): one statement for
 * every dossier and every event asked, answered per dossier (by its id in lower case, as the uuid
 * column gives it) and then per event.
 */
export async function citizenMessageSourcesOf(
  db: NotifyExecutor,
  changes: readonly { dossierId: string; event: string }[],
): Promise<Map<string, (event: string) => CitizenMessageSources>> {
  const ids = [...new Set(changes.map((c) => c.dossierId.toLowerCase()))];
  const events = [...new Set(changes.map((c) => c.event))];
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('dossiers as d')
    .select([
      'd.id',
      'd.code',
      'd.agency_code',
      'd.procedure_name',
      'd.applicant_contact',
      'd.applicant_phone',
      'd.received_at',
      'd.due_at',
      'd.source_system',
      'd.created_at',
    ])
    .select((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom('notification_agency_settings as s')
          .select(['s.agency_code', 's.sms_unaccented', 's.result_place'])
          .where((w) =>
            w.or([w('s.agency_code', '=', w.ref('d.agency_code')), w('s.agency_code', '=', 'default')]),
          ),
      ).as('settings'),
      jsonArrayFrom(
        eb
          .selectFrom('notification_switches as w')
          .select(['w.agency_code', 'w.event', 'w.channel', 'w.enabled'])
          .where('w.event', 'in', events)
          .where((w) =>
            w.or([w('w.agency_code', '=', w.ref('d.agency_code')), w('w.agency_code', '=', 'default')]),
          ),
      ).as('switches'),
      eb
        .selectFrom('notification_preferences as p')
        .select('p.channels')
        .whereRef('p.dossier_id', '=', 'd.id')
        .as('preferences'),
      // The version in force of each event, per channel: the highest (as currentTemplate reads it).
      jsonArrayFrom(
        eb
          .selectFrom('notification_templates as t')
          .distinctOn(['t.event', 't.channel'])
          .select(['t.event', 't.channel', 't.version', 't.subject', 't.body'])
          .where('t.event', 'in', events)
          .orderBy('t.event')
          .orderBy('t.channel')
          .orderBy('t.version', 'desc'),
      ).as('templates'),
    ])
    .where('d.id', 'in', ids)
    .execute();
  return new Map(
    rows.map(({ settings, switches, preferences, templates, ...dossier }) => [
      dossier.id,
      (event: string) => ({
        dossier,
        settings,
        switches: switches.filter((w) => w.event === event),
        preferences: preferences ?? null,
        templates: templates
          .filter((t) => t.event === event)
          .map(({ channel, version, subject, body }) => ({ channel, version, subject, body })),
      }),
    ]),
  );
}

export async function dossierByCode(
  db: NotifyExecutor,
  code: string,
): Promise<
  | Pick<
      DossierForMessage,
      'id' | 'code' | 'agency_code' | 'receiving_agency_code' | 'applicant_contact' | 'applicant_phone'
    >
  | undefined
> {
  return (
    db
      .selectFrom('dossiers')
      .select(['id', 'code', 'agency_code', 'receiving_agency_code', 'applicant_contact', 'applicant_phone'])
      // A submission is also found by its provisional reference (see domain/dossier-code.ts).
      .where((eb) => (code.startsWith('P-') ? eb('reference', '=', code) : eb('code', '=', code)))
      .executeTakeFirst()
  );
}

/** The steps of a dossier, as the agency-scope rule reads them. */
export async function stepsOfDossier(db: NotifyExecutor, dossierId: string) {
  return db
    .selectFrom('dossier_steps')
    .select(['seq', 'agency_code', 'completed_at'])
    .where('dossier_id', '=', dossierId)
    .execute();
}

/**
 * The trail entry of the change an event describes: the event carries the dossier's version
 * after the change, and the trail entry of that change the same version. What the officer typed
 * (a reason, an amount) is in its payload.input.
 */
export async function historyEntryAt(
  db: NotifyExecutor,
  dossierId: string,
  version: number,
): Promise<Pick<Selectable<DossierHistoryTable>, 'action' | 'to_status' | 'payload'> | undefined> {
  return db
    .selectFrom('dossier_history')
    .select(['action', 'to_status', 'payload'])
    .where('dossier_id', '=', dossierId)
    .where('dossier_version', '=', version)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}
