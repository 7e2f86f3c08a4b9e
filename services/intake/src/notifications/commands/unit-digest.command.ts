import { vnDate, type WorkingCalendar } from '@tthc/calendar';
import { withTransaction } from '@tthc/db';
import { withNotifications } from '../db/notification.schema';
import type { OfficerContactRow } from '../db/officer-contact.repository';
import { claimDigest, digestSent, type ReminderCandidate } from '../db/reminder.repository';
import type { SwitchRow } from '../db/settings.repository';
import { digestClass, type DigestClass } from '../domain/reminder-windows';
import { formatDate } from '../domain/template-render';
import type { NotificationDeps } from '../notification.deps';
import { createOfficerMessages, unitHeads } from './officer-messages.command';

const LABEL: Record<DigestClass, string> = {
  overdue: 'quá hạn',
  due_today: 'đến hạn hôm nay',
  due_soon: 'sắp đến hạn',
};
const ORDER: Record<DigestClass, number> = { overdue: 0, due_today: 1, due_soon: 2 };

/**
 * Once a working day, each unit's head gets one list of its dossiers that are overdue, due today
 * or inside their warning window (the digest sent-log is keyed by agency, unit and day).
 */
export async function sendUnitDigests(
  deps: Pick<NotificationDeps, 'db' | 'metrics'>,
  s: {
    now: Date;
    cal: WorkingCalendar;
    candidates: readonly ReminderCandidate[];
    contacts: readonly OfficerContactRow[];
    switches: readonly SwitchRow[];
    windowsFor: (d: ReminderCandidate) => number[];
  },
): Promise<{ digests: number; messages: number }> {
  const db = withNotifications(deps.db);
  const day = vnDate(s.now);
  const sent = await digestSent(db, day);
  const groups = new Map<
    string,
    { agency: string; unit: string; lines: { cls: DigestClass; d: ReminderCandidate; left: number }[] }
  >();
  for (const d of s.candidates) {
    if (!d.current_unit || sent.has(`${d.agency_code}|${d.current_unit}`)) continue;
    const cls = digestClass(s.cal, s.now, d.due_at, Math.max(0, ...s.windowsFor(d)));
    if (!cls) continue;
    const key = `${d.agency_code}|${d.current_unit}`;
    const g = groups.get(key) ?? { agency: d.agency_code, unit: d.current_unit, lines: [] };
    g.lines.push({ cls, d, left: s.cal.countWorkingDays(s.now, d.due_at) });
    groups.set(key, g);
  }
  let digests = 0;
  let messages = 0;
  for (const g of groups.values()) {
    const heads = unitHeads(s.contacts, g.unit, [g.agency]);
    if (heads.length === 0) continue;
    g.lines.sort((a, b) => ORDER[a.cls] - ORDER[b.cls] || a.d.due_at.getTime() - b.d.due_at.getTime());
    const count = (c: DigestClass) => String(g.lines.filter((l) => l.cls === c).length);
    const items = g.lines
      .map(
        ({ cls, d, left }) =>
          `- ${d.code} · ${d.procedure_name} · hạn ${formatDate(d.due_at)} · ${cls === 'due_soon' ? `còn ${left} ngày làm việc` : LABEL[cls]}`,
      )
      .join('\n');
    const created = await withTransaction(db, async (tx) => {
      if (!(await claimDigest(tx, { agency_code: g.agency, unit: g.unit, day, sent_at: s.now }))) return null;
      return createOfficerMessages(tx, {
        now: s.now,
        event: 'digest',
        agencyCode: g.agency,
        dossier: null,
        dedupePrefix: `digest:${g.agency}:${g.unit}:${day}`,
        data: {
          unit: g.unit,
          date: formatDate(day),
          items,
          total: String(g.lines.length),
          overdueCount: count('overdue'),
          dueTodayCount: count('due_today'),
          dueSoonCount: count('due_soon'),
        },
        recipients: heads.map((contact) => ({ contact, role: 'unit_head' as const })),
        switches: s.switches,
      });
    });
    if (created === null) continue;
    digests++;
    messages += created;
    deps.metrics.reminders.inc({ kind: 'digest' });
  }
  return { digests, messages };
}
