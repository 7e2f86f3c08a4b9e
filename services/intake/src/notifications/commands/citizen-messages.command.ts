import { randomUUID } from 'node:crypto';
import type { Tx } from '@tthc/db';
import type { Insertable } from 'kysely';
import { citizenMessageSourcesOf, type CitizenMessageSources } from '../db/dossier-lookup.repository';
import { insertMessages } from '../db/message.repository';
import { withNotifications, type NotificationMessageTable } from '../db/notification.schema';
import { applicantAddresses, citizenDestinations, switchOn } from '../domain/channel-choice';
import { tooLateToTell, type CitizenNotice } from '../domain/citizen-notices';
import { formatDate, formatItems, renderMessage, trackingLink } from '../domain/template-render';
import type { NotificationDeps } from '../notification.deps';

export interface EventSource {
  id: string;
  occurredAt: string;
}

/** A dossier change the applicant is told of: the event that made it, and what to say. */
export interface CitizenChange {
  source: EventSource;
  dossierId: string;
  notice: CitizenNotice;
  /** The trace the event's messages continue (its consumer span), when not the current one. */
  traceparent?: string | undefined;
}

/**
 * Writes the applicant's messages for one dossier change, inside the transaction in which the
 * consumer records the event as applied: the event is applied once, so the messages are created
 * once (and the dedupe key holds even if the same change arrived under another event id).
 * Returns how many messages were created; they go out when the dispatcher hands them to a queue.
 */
export async function createCitizenMessages(
  tx: Tx<any>,
  deps: Pick<NotificationDeps, 'clock' | 'config' | 'logger'>,
  source: EventSource,
  dossierId: string,
  notice: CitizenNotice,
): Promise<number> {
  return createCitizenMessagesOf(tx, deps, [{ source, dossierId, notice }]);
}

/**
 * The messages of many changes (the events a consumer applies in one transaction) in two
 * statements: one read of their dossiers, settings, switches, channels and templates, one insert.
 */
export async function createCitizenMessagesOf(
  tx: Tx<any>,
  deps: Pick<NotificationDeps, 'clock' | 'config' | 'logger'>,
  changes: readonly CitizenChange[],
): Promise<number> {
  if (changes.length === 0) return 0;
  const db = withNotifications(tx);
  const sources = await citizenMessageSourcesOf(
    db,
    changes.map((c) => ({ dossierId: c.dossierId, event: c.notice.event })),
  );
  const now = deps.clock();
  const rows = changes.flatMap((change) => {
    const of = sources.get(change.dossierId.toLowerCase());
    return of ? messagesOf(change, of(change.notice.event), deps, now) : [];
  });
  // The messages of the changes in one statement; a dedupe key already there is skipped.
  const created = await insertMessages(db, rows);
  deps.logger.info(
    changes.length === 1
      ? { eventId: changes[0]!.source.id, event: changes[0]!.notice.event, created }
      : { events: changes.length, created },
    'citizen messages created',
  );
  return created;
}

/** The rows of one change's messages: nothing when the event is too old or the dossier imported. */
function messagesOf(
  { source, notice, traceparent }: CitizenChange,
  sources: CitizenMessageSources,
  deps: Pick<NotificationDeps, 'config' | 'logger'>,
  now: Date,
): Insertable<NotificationMessageTable>[] {
  const { dossier: d, settings, switches, preferences, templates } = sources;
  if (
    tooLateToTell(new Date(source.occurredAt), now, deps.config.NOTIFY_STALE_EVENT_HOURS, {
      sourceSystem: d.source_system,
      createdAt: d.created_at,
    })
  ) {
    deps.logger.info(
      { eventId: source.id, event: notice.event },
      'event too old or imported: no citizen message',
    );
    return [];
  }
  const own = settings.find((s) => s.agency_code === d.agency_code);
  const dept = settings.find((s) => s.agency_code === 'default');
  const smsUnaccented = own?.sms_unaccented ?? dept?.sms_unaccented ?? false;
  const place = own?.result_place ?? dept?.result_place ?? deps.config.NOTIFY_RESULT_PLACE;
  const targets = citizenDestinations(
    notice.event,
    applicantAddresses(d.applicant_contact, d.applicant_phone),
    preferences,
    (channel) => switchOn(switches, d.agency_code, notice.event, channel),
    d.code,
  );
  const base: Record<string, string> = {
    dossierCode: d.code,
    procedureName: d.procedure_name,
    trackingLink: trackingLink(deps.config.TRACKING_URL_BASE, d.code),
    receivedDate: formatDate(d.received_at),
    dueDate: formatDate(d.due_at),
    resultPlace: notice.resultOnline ? `Cổng Dịch vụ công (kết quả điện tử) hoặc ${place}` : place,
  };
  const rows: Insertable<NotificationMessageTable>[] = [];
  for (const { channel, destination } of targets) {
    const template = templates.find((t) => t.channel === channel);
    if (!template) continue;
    const data = {
      ...base,
      ...notice.data,
      ...(notice.items ? { items: formatItems(notice.items, channel) } : {}),
    };
    const text = renderMessage(template, data, { channel, smsUnaccented });
    rows.push({
      ...(traceparent ? { traceparent } : {}),
      id: randomUUID(),
      dedupe_key: `event:${source.id}:${notice.event}:${channel}`,
      audience: 'citizen',
      dossier_id: d.id,
      dossier_code: d.code,
      agency_code: d.agency_code,
      event: notice.event,
      channel,
      recipient_role: 'applicant',
      recipient_ref: null,
      destination,
      template_version: template.version,
      subject: text.subject,
      body: text.body,
      status: 'queued',
      created_at: now,
      updated_at: now,
    });
  }
  return rows;
}
