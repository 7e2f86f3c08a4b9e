import { addDays, vnDate, vnInstant, type WorkingCalendar } from '@tthc/calendar';
import { withTransaction } from '@tthc/db';
import type { RuleParams } from '../../calendar';
import { withNotifications } from '../db/notification.schema';
import { activeOfficerContacts } from '../db/officer-contact.repository';
import {
  claimReminder,
  firedReminders,
  reminderCandidates,
  type ReminderCandidate,
} from '../db/reminder.repository';
import { allAgencySettings, allProcedureSettings, allSwitches } from '../db/settings.repository';
import { normalizeWindows, remindersDue, remindersOpen } from '../domain/reminder-windows';
import { formatDate, trackingLink } from '../domain/template-render';
import type { NotificationDeps } from '../notification.deps';
import { createOfficerMessages, recipientsFor } from './officer-messages.command';
import { sendUnitDigests } from './unit-digest.command';

export type ScanDeps = Pick<NotificationDeps, 'db' | 'clock' | 'calendars' | 'config' | 'logger' | 'metrics'>;

export interface ScanResult {
  /** Reminders claimed in the sent-log by this run. */
  reminders: number;
  digests: number;
  messages: number;
  /** Reminders due for dossiers with nobody to tell (no officer or unit head on file): retried next run. */
  withoutRecipient: number;
}

/** Warning windows of a dossier: its procedure's, else its agency's, else the department's, else the configured default. */
export async function windowResolver(deps: ScanDeps): Promise<{
  windowsFor: (d: Pick<ReminderCandidate, 'procedure_code' | 'agency_code'>) => number[];
  maxWindow: number;
}> {
  const db = withNotifications(deps.db);
  const [agencies, procedures] = await Promise.all([allAgencySettings(db), allProcedureSettings(db)]);
  const byAgency = new Map(
    agencies
      .filter((a) => a.reminder_windows !== null)
      .map((a) => [a.agency_code, normalizeWindows(a.reminder_windows ?? [])]),
  );
  const byProcedure = new Map(
    procedures.map((p) => [p.procedure_code, normalizeWindows(p.reminder_windows)]),
  );
  const fallback = byAgency.get('default') ?? normalizeWindows(deps.config.NOTIFY_REMINDER_WINDOWS);
  const all = [fallback, ...byAgency.values(), ...byProcedure.values()];
  return {
    windowsFor: (d) => byProcedure.get(d.procedure_code) ?? byAgency.get(d.agency_code) ?? fallback,
    maxWindow: Math.max(0, ...all.flat()),
  };
}

/**
 * How far back a scan looks for dossiers that became overdue: each gets its overdue reminder on
 * the first scan after its due date, so a scan reads only this window, not every dossier overdue
 * for months; a scan outage shorter than this still catches up.
 */
export const OVERDUE_LOOKBACK_DAYS = 14;

/** The day each database's scans last read every open dossier (for the units' daily digests). */
const digestSweeps = new WeakMap<object, string>();

/** Dossiers due by the end of the widest window: every one a window or the digest may concern (overdue included). */
export function horizon(cal: WorkingCalendar, now: Date, maxWindow: number): Date {
  return vnInstant(addDays(cal.addWorkingDays(vnDate(now), maxWindow), 1), '00:00');
}

/**
 * One run of the reminder job: finds open dossiers (received, processing) entering a warning
 * window, due today, overdue, or at their apology deadline, and tells the assigned officer and
 * the unit head; then the units' daily digests. Each reminder is claimed in a sent-log keyed by
 * dossier, window and due date, in the transaction that writes its messages, so any number of
 * runs at once (replicas, a restart mid-run) send it once. Safe to call at any time: outside
 * working hours it does nothing.
 */
export async function runReminderScan(deps: ScanDeps): Promise<ScanResult> {
  const result: ScanResult = { reminders: 0, digests: 0, messages: 0, withoutRecipient: 0 };
  const now = deps.clock();
  const cal = await deps.calendars.get(deps.db);
  if (!remindersOpen(cal, now, deps.config.NOTIFY_REMINDERS_FROM)) return result;
  const db = withNotifications(deps.db);
  const { windowsFor, maxWindow } = await windowResolver(deps);
  const until = horizon(cal, now, maxWindow);
  // Incremental: the reminders concern dossiers due from the look-back to the widest window.
  const from = vnInstant(addDays(vnDate(now), -OVERDUE_LOOKBACK_DAYS), '00:00');
  const [candidates, fired, contacts, switches] = await Promise.all([
    reminderCandidates(db, until, from),
    firedReminders(db, until, from),
    activeOfficerContacts(db),
    allSwitches(db),
  ]);
  // The units' digests list every overdue dossier, whatever its age: the first scan of a day
  // reads them all (the digests go out then, once a day); later scans of the day read the window.
  const day = vnDate(now);
  let digestCandidates = candidates;
  if (digestSweeps.get(deps.db) !== day) {
    digestCandidates = await reminderCandidates(db, until);
    digestSweeps.set(deps.db, day);
  }
  const rules = new Map<string, RuleParams>();
  const rulesOf = async (id: string): Promise<RuleParams> => {
    let r = rules.get(id);
    if (!r) rules.set(id, (r = (await deps.calendars.ruleSetById(deps.db, id)).params));
    return r;
  };

  for (const d of candidates) {
    const dueDate = vnDate(d.due_at);
    const params = await rulesOf(d.rule_set_id);
    const due = remindersDue(cal, now, d.due_at, windowsFor(d), {
      noticeDays: params.rescheduleNoticeDays,
      canReschedule: d.reschedule_count < params.maxReschedules,
    }).filter((r) => !fired.has(`${d.id}|${r.kind}|${dueDate}`));
    if (due.length === 0) continue;
    const recipients = recipientsFor(contacts, d);
    if (recipients.length === 0) {
      result.withoutRecipient += due.length;
      continue;
    }
    const officer = d.current_officer
      ? (contacts.find((c) => c.officer === d.current_officer)?.full_name ?? d.current_officer)
      : 'chưa phân công';
    for (const r of due) {
      const created = await withTransaction(db, async (tx) => {
        if (!(await claimReminder(tx, { dossier_id: d.id, kind: r.kind, due_date: dueDate, sent_at: now })))
          return null;
        return createOfficerMessages(tx, {
          now,
          event: r.event,
          agencyCode: d.agency_code,
          dossier: { id: d.id, code: d.code },
          dedupePrefix: `reminder:${d.id}:${r.kind}:${dueDate}`,
          data: {
            dossierCode: d.code,
            procedureName: d.procedure_name,
            dueDate: formatDate(d.due_at),
            unit: d.current_unit ?? '',
            officer,
            trackingLink: trackingLink(deps.config.TRACKING_URL_BASE, d.code),
            ...r.data,
            ...(r.data['apologyDeadline'] ? { apologyDeadline: formatDate(r.data['apologyDeadline']) } : {}),
          },
          recipients,
          switches,
        });
      });
      if (created === null) continue;
      result.reminders++;
      result.messages += created;
      deps.metrics.reminders.inc({ kind: r.kind.startsWith('window_') ? 'window' : r.kind });
    }
  }

  const digests = await sendUnitDigests(deps, {
    now,
    cal,
    candidates: digestCandidates,
    contacts,
    switches,
    windowsFor,
  });
  result.digests = digests.digests;
  result.messages += digests.messages;
  if (result.reminders + result.digests + result.withoutRecipient > 0)
    deps.logger.info({ ...result }, 'reminder scan');
  return result;
}
