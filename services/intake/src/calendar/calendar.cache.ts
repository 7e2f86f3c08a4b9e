import { createCalendar, type WorkingCalendar } from '@tthc/calendar';
import type { Executor } from '@tthc/db';
import type { IntakeDb } from '../db/schema';
import { listOverrides, listRuleSets, settingsStamp } from './db/settings.repository';
import { RuleParams, ruleSetOn, type RuleSet } from './domain/rule-set';

/** No rule set is in force on a date (in the snapshot read: a newer one may have one). */
export class NoRuleSetInForce extends Error {
  constructor(date: string) {
    super(`no rule set in force on ${date}`);
    this.name = 'NoRuleSetInForce';
  }
}

/** The calendar with its official days and the rule sets, as one consistent snapshot. */
export interface Settings {
  calendar: WorkingCalendar;
  ruleSets: RuleSet[];
}

/**
 * The working-day calendar with the override table admins edit, and the parsed rule sets. They
 * are rebuilt when either table changes (one cheap fingerprint query per use), so every replica
 * follows an edit at once; within one request (forRequest) even that query runs once.
 */
export class CalendarProvider {
  private cached: { stamp: string; settings: Settings } | undefined;

  async snapshot(db: Executor<IntakeDb>): Promise<Settings> {
    return (await this.load(db, await settingsStamp(db))).settings;
  }

  /**
   * The snapshot held, with its fingerprint, without asking whether it is current (a query only
   * when nothing is held): for a writing statement that checks the fingerprint itself and writes
   * nothing when it differs (receipt.repository.ts); its caller then invalidates and tries again.
   */
  async unchecked(db: Executor<IntakeDb>): Promise<{ stamp: string; settings: Settings }> {
    return this.cached ?? this.load(db, await settingsStamp(db));
  }

  private async load(db: Executor<IntakeDb>, stamp: string): Promise<{ stamp: string; settings: Settings }> {
    if (this.cached?.stamp === stamp) return this.cached;
    const [overrides, rows] = await Promise.all([listOverrides(db), listRuleSets(db)]);
    const settings: Settings = {
      calendar: createCalendar({
        overrides: overrides.map((o) => ({
          date: o.date,
          kind: o.kind,
          reason: o.reason,
          ...(o.source ? { source: o.source } : {}),
        })),
      }),
      ruleSets: rows.map((r) => ({
        id: r.id,
        name: r.name,
        legalBasis: r.legal_basis,
        effectiveFrom: r.effective_from,
        params: RuleParams.parse(r.params),
      })),
    };
    this.cached = { stamp, settings };
    return this.cached;
  }

  async get(db: Executor<IntakeDb>): Promise<WorkingCalendar> {
    return (await this.snapshot(db)).calendar;
  }

  async ruleSets(db: Executor<IntakeDb>): Promise<RuleSet[]> {
    return (await this.snapshot(db)).ruleSets;
  }

  /** The rule set in force on a civil date (a dossier keeps the one in force at its receipt). */
  async ruleSetFor(db: Executor<IntakeDb>, date: string): Promise<RuleSet> {
    const set = ruleSetOn(await this.ruleSets(db), date);
    if (!set) throw new NoRuleSetInForce(date);
    return set;
  }

  async ruleSetById(db: Executor<IntakeDb>, id: string): Promise<RuleSet> {
    const set = (await this.ruleSets(db)).find((s) => s.id === id);
    if (!set) throw new Error(`rule set ${id} is missing`);
    return set;
  }

  /** Drops the cached snapshot (after a write to either table, so the next use rebuilds it). */
  invalidate(): void {
    this.cached = undefined;
  }

  /** A view for one request: the first snapshot it takes serves the rest of the request. */
  forRequest(): CalendarProvider {
    const snapshot = (db: Executor<IntakeDb>) => this.snapshot(db);
    const invalidate = () => this.invalidate();
    let once: Promise<Settings> | undefined;
    const view = Object.create(CalendarProvider.prototype) as CalendarProvider;
    view.snapshot = (db) => (once ??= snapshot(db));
    view.invalidate = () => {
      once = undefined;
      invalidate();
    };
    view.unchecked = (db) => this.unchecked(db);
    return view;
  }

  /** A provider that answers with the given snapshot, never reading: the terms of one attempt of a receipt. */
  static pinned(settings: Settings): CalendarProvider {
    const view = Object.create(CalendarProvider.prototype) as CalendarProvider;
    view.snapshot = () => Promise.resolve(settings);
    view.invalidate = () => undefined;
    return view;
  }
}
