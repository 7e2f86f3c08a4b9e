import { createCalendar, type WorkingCalendar } from '@tthc/calendar';
import type { Executor } from '@tthc/db';
import { listOverrides, listRuleSets, overridesStamp } from './db/settings.repository';
import type { IntakeDb } from '../db/schema';
import { RuleParams, ruleSetOn, type RuleSet } from './domain/rule-set';

/**
 * The working-day calendar with the override table admins edit. It is rebuilt when the table
 * changes (a cheap fingerprint query per use), so every replica follows an edit at once.
 */
export class CalendarProvider {
  private cached: { stamp: string; calendar: WorkingCalendar } | undefined;

  async get(db: Executor<IntakeDb>): Promise<WorkingCalendar> {
    const stamp = await overridesStamp(db);
    if (this.cached?.stamp === stamp) return this.cached.calendar;
    const overrides = await listOverrides(db);
    const calendar = createCalendar({
      overrides: overrides.map((o) => ({ date: o.date, kind: o.kind, reason: o.reason, ...(o.source ? { source: o.source } : {}) })),
    });
    this.cached = { stamp, calendar };
    return calendar;
  }

  /** Drops the cached calendar (after a write to the table, so the next use rebuilds it). */
  invalidate(): void {
    this.cached = undefined;
  }
}

export async function ruleSets(db: Executor<IntakeDb>): Promise<RuleSet[]> {
  return (await listRuleSets(db)).map((r) => ({
    id: r.id,
    name: r.name,
    legalBasis: r.legal_basis,
    effectiveFrom: r.effective_from,
    params: RuleParams.parse(r.params),
  }));
}

/** The rule set in force on a civil date (a dossier keeps the one in force at its receipt). */
export async function ruleSetFor(db: Executor<IntakeDb>, date: string): Promise<RuleSet> {
  const set = ruleSetOn(await ruleSets(db), date);
  if (!set) throw new Error(`no rule set in force on ${date}`);
  return set;
}

export async function ruleSetById(db: Executor<IntakeDb>, id: string): Promise<RuleSet> {
  const set = (await ruleSets(db)).find((s) => s.id === id);
  if (!set) throw new Error(`rule set ${id} is missing`);
  return set;
}
