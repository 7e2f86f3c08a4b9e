import { randomUUID } from 'node:crypto';
import type { Tx } from '@tthc/db';
import type { Insertable } from 'kysely';
import { citizenMessageSources } from '../db/dossier-lookup.repository';
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
  const db = withNotifications(tx);
  // One read: the dossier, the settings, switches and channels it is told by, the event's templates.
  const sources = await citizenMessageSources(db, dossierId, notice.event);
  if (!sources) return 0;
  const { dossier: d, settings, switches, preferences, templates } = sources;
  const now = deps.clock();
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
    return 0;
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
  // The messages of the change in one statement; a dedupe key already there is skipped.
  const created = await insertMessages(db, rows);
  deps.logger.info({ eventId: source.id, event: notice.event, created }, 'citizen messages created');
  return created;
}
