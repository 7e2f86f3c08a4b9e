import type { Channel } from '../db/notification.schema';
import { CHANNELS, EVENT_SPECS, type TemplateEvent } from '../templates/template-catalogue';

/**
 * Without a switch row, SMS and e-mail are on and the webhook (Zalo OA, the portal) is off:
 * it needs an integration an agency sets up first.
 */
export const DEFAULT_SWITCH: Record<Channel, boolean> = { sms: true, email: true, webhook: false };

export interface SwitchRow {
  agency_code: string;
  event: string;
  channel: Channel;
  enabled: boolean;
}

/** The agency's own switch wins, then the department-wide one (`default`), then the built-in default. */
export function switchOn(
  rows: readonly SwitchRow[],
  agencyCode: string,
  event: TemplateEvent,
  channel: Channel,
): boolean {
  const own = rows.find((r) => r.agency_code === agencyCode && r.event === event && r.channel === channel);
  if (own) return own.enabled;
  const dept = rows.find((r) => r.agency_code === 'default' && r.event === event && r.channel === channel);
  return dept ? dept.enabled : DEFAULT_SWITCH[channel];
}

export interface ApplicantAddresses {
  phone: string | null;
  email: string | null;
}

/** Reads the contact the intake stored with the dossier (a JSON object; missing parts are null). */
export function applicantAddresses(contact: unknown, normalizedPhone: string | null): ApplicantAddresses {
  const c = (contact && typeof contact === 'object' ? contact : {}) as Record<string, unknown>;
  const phone = normalizedPhone ?? (typeof c['phone'] === 'string' ? c['phone'] : null);
  const email = typeof c['email'] === 'string' ? c['email'] : null;
  return { phone, email };
}

/**
 * The channels and destinations of a citizen message: the agency's switches, then the
 * applicant's choice (none recorded: every channel), then an address to send to. The webhook
 * recipient is the applicant's phone or e-mail, by which Zalo OA or the portal finds the account,
 * else the dossier code.
 */
export function citizenDestinations(
  event: TemplateEvent,
  addresses: ApplicantAddresses,
  preferences: readonly Channel[] | null,
  enabled: (channel: Channel) => boolean,
  dossierCode: string,
): { channel: Channel; destination: string }[] {
  const out: { channel: Channel; destination: string }[] = [];
  for (const channel of CHANNELS) {
    if (!EVENT_SPECS[event].channels.includes(channel) || !enabled(channel)) continue;
    if (preferences && !preferences.includes(channel)) continue;
    const destination =
      channel === 'sms'
        ? addresses.phone
        : channel === 'email'
          ? addresses.email
          : (addresses.phone ?? addresses.email ?? `dossier:${dossierCode}`);
    if (destination) out.push({ channel, destination });
  }
  return out;
}

export interface OfficerContact {
  officer: string;
  full_name: string;
  email: string | null;
  channels: Channel[];
}

/** An officer's destinations: e-mail to the address, webhook to the officer's id (the desk software routes it). */
export function officerDestinations(
  contact: OfficerContact,
  event: TemplateEvent,
): { channel: Channel; destination: string }[] {
  const out: { channel: Channel; destination: string }[] = [];
  for (const channel of contact.channels) {
    if (!EVENT_SPECS[event].channels.includes(channel)) continue;
    if (channel === 'email' && contact.email) out.push({ channel, destination: contact.email });
    if (channel === 'webhook') out.push({ channel, destination: `officer:${contact.officer}` });
  }
  return out;
}
