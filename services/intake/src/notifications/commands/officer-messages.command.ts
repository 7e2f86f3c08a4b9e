import { randomUUID } from 'node:crypto';
import type { OfficerContactRow } from '../db/officer-contact.repository';
import { insertMessage } from '../db/message.repository';
import type { NotifyExecutor } from '../db/notification.schema';
import type { SwitchRow } from '../db/settings.repository';
import { currentTemplate } from '../db/template.repository';
import { officerDestinations, switchOn } from '../domain/channel-choice';
import { renderMessage } from '../domain/template-render';
import type { OfficerEvent } from '../templates/template-catalogue';

export interface Recipient {
  contact: OfficerContactRow;
  role: 'officer' | 'unit_head';
}

/** The heads of a unit, in the agencies a dossier belongs to (the deciding and the receiving one). */
export function unitHeads(
  contacts: readonly OfficerContactRow[],
  unit: string | null,
  agencies: readonly string[],
): OfficerContactRow[] {
  if (!unit) return [];
  return contacts.filter((c) => c.unit_head && c.unit === unit && agencies.includes(c.agency_code));
}

/** The assigned officer and the head of the unit holding the dossier, each once. */
export function recipientsFor(
  contacts: readonly OfficerContactRow[],
  d: {
    current_officer: string | null;
    current_unit: string | null;
    agency_code: string;
    receiving_agency_code: string;
  },
): Recipient[] {
  const out: Recipient[] = [];
  const officer = d.current_officer ? contacts.find((c) => c.officer === d.current_officer) : undefined;
  if (officer) out.push({ contact: officer, role: 'officer' });
  for (const head of unitHeads(contacts, d.current_unit, [d.agency_code, d.receiving_agency_code])) {
    if (!out.some((r) => r.contact.officer === head.officer)) out.push({ contact: head, role: 'unit_head' });
  }
  return out;
}

/**
 * Writes one message per recipient and channel (the agency's switches applied), in the caller's
 * transaction, the one that claimed the reminder in its sent-log.
 */
export async function createOfficerMessages(
  db: NotifyExecutor,
  m: {
    now: Date;
    event: OfficerEvent;
    agencyCode: string;
    dossier: { id: string; code: string } | null;
    dedupePrefix: string;
    data: Record<string, string>;
    recipients: readonly Recipient[];
    switches: readonly SwitchRow[];
  },
): Promise<number> {
  let created = 0;
  for (const { contact, role } of m.recipients) {
    for (const { channel, destination } of officerDestinations(contact, m.event)) {
      if (!switchOn(m.switches, m.agencyCode, m.event, channel)) continue;
      const template = await currentTemplate(db, m.event, channel);
      if (!template) continue;
      const text = renderMessage(template, m.data, { channel, smsUnaccented: false });
      const inserted = await insertMessage(db, {
        id: randomUUID(),
        dedupe_key: `${m.dedupePrefix}:${contact.officer}:${channel}`,
        audience: 'officer',
        dossier_id: m.dossier?.id ?? null,
        dossier_code: m.dossier?.code ?? null,
        agency_code: m.agencyCode,
        event: m.event,
        channel,
        recipient_role: role,
        recipient_ref: contact.officer,
        destination,
        template_version: template.version,
        subject: text.subject,
        body: text.body,
        status: 'queued',
        created_at: m.now,
        updated_at: m.now,
      });
      if (inserted) created++;
    }
  }
  return created;
}
