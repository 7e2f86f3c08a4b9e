import { vnDate } from '@tthc/calendar';
import type { Channel } from '../db/notification.schema';
import { EVENT_SPECS, SAMPLE_DATA, type TemplateEvent } from '../templates/template-catalogue';
import { checkSms, smsLength, unaccent, type SmsCheck, type SmsLength } from './sms-segments';
import { trackingUrl } from '../../domain/tracking-link';

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g;

/** The placeholders a text uses, each once, in order of appearance. */
export function placeholdersIn(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(PLACEHOLDER)) if (m[1] && !found.includes(m[1])) found.push(m[1]);
  return found;
}

/** Placeholders of a template that its event does not fill, and braces that are not a placeholder. */
export function templateProblems(
  event: TemplateEvent,
  texts: { subject: string | null; body: string },
): { pointer: string; detail: string }[] {
  const allowed = EVENT_SPECS[event].placeholders;
  const problems: { pointer: string; detail: string }[] = [];
  for (const [field, text] of [
    ['subject', texts.subject],
    ['body', texts.body],
  ] as const) {
    if (text === null) continue;
    for (const name of placeholdersIn(text)) {
      if (!allowed.includes(name))
        problems.push({
          pointer: `/${field}`,
          detail: `{{${name}}} is not filled for ${event}; use one of: ${allowed.join(', ')}`,
        });
    }
    if (/\{\{|\}\}/.test(text.replace(PLACEHOLDER, '')))
      problems.push({ pointer: `/${field}`, detail: 'unbalanced {{ }}: write placeholders as {{name}}' });
  }
  return problems;
}

/** Fills the placeholders; one without a value becomes empty (validation keeps that from happening). */
export function render(text: string, data: Record<string, string>): string {
  return text.replace(PLACEHOLDER, (_m, name: string) => data[name] ?? '');
}

export interface Rendered {
  subject: string | null;
  body: string;
}

/** A message's subject and body, unaccented for SMS when the agency sends SMS without diacritics. */
export function renderMessage(
  template: { subject: string | null; body: string },
  data: Record<string, string>,
  options: { channel: Channel; smsUnaccented: boolean },
): Rendered {
  const body = render(template.body, data).normalize('NFC');
  const subject =
    template.subject === null
      ? null
      : render(template.subject, data).normalize('NFC').replace(/\s+/g, ' ').trim();
  if (options.channel === 'sms' && options.smsUnaccented) return { subject, body: unaccent(body) };
  return { subject, body };
}

/** A date as Vietnamese documents write it: dd/mm/yyyy, in Việt Nam. */
export function formatDate(instant: Date | string | null | undefined): string {
  if (instant === null || instant === undefined) return '';
  const civil =
    typeof instant === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(instant) ? instant : vnDate(new Date(instant));
  const [y, m, d] = civil.split('-');
  return `${d}/${m}/${y}`;
}

/** Đồng with dots between thousands: 1.500.000 đồng. */
export function formatAmount(amount: number): string {
  return `${String(Math.trunc(amount)).replace(/\B(?=(\d{3})+(?!\d))/g, '.')} đồng`;
}

/** A list inline for short channels, one item per line in e-mail. */
export function formatItems(items: readonly string[], channel: Channel): string {
  return channel === 'email' ? items.map((i) => `- ${i}`).join('\n') : items.join('; ');
}

/** The tracking link of a dossier, or its bare code where no tracking page is configured. */
export function trackingLink(base: string | undefined, code: string): string {
  return trackingUrl(base, code) ?? code;
}

export interface Preview {
  subject: string | null;
  text: string;
  sms: SmsLength | null;
  unaccented: { text: string; sms: SmsLength } | null;
  warnings: string[];
}

/**
 * A template filled with sample data (or the caller's), as the applicant would receive it. For
 * SMS: the length in segments, the unaccented variant when the text needs UCS-2, and warnings.
 * `unaccented` true previews what an agency sending SMS without diacritics sends.
 */
export function previewTemplate(
  template: { subject: string | null; body: string },
  channel: Channel,
  data: Record<string, string> = {},
  unaccentedSms = false,
): Preview {
  const rendered = renderMessage(
    template,
    { ...SAMPLE_DATA, ...data },
    { channel, smsUnaccented: unaccentedSms },
  );
  if (channel !== 'sms')
    return { subject: rendered.subject, text: rendered.body, sms: null, unaccented: null, warnings: [] };
  const check: SmsCheck = checkSms(rendered.body);
  const { warnings, unaccented, ...length } = check;
  return {
    subject: rendered.subject,
    text: rendered.body,
    sms: length,
    unaccented: unaccented
      ? { text: unaccent(rendered.body), sms: smsLength(unaccent(rendered.body)) }
      : null,
    warnings,
  };
}
