import { type CivilDate, parseCivilDate } from './civil-date';
import { type DayOverride } from './official-days';
import { parseClock } from './vn-date';

/**
 * What a calendar is built from. All of it is data that an administrator or the effective-dated
 * rule set supplies (domain.md: "every number that comes from a regulation is data"); the
 * defaults are only the usual values. Times are wall-clock 'HH:MM' in Asia/Ho_Chi_Minh.
 */
export interface CalendarSettings {
  /** The yearly table of declared days off and worked days; wins over computed days. */
  overrides: readonly DayOverride[];
  /** Office-hours blocks of every working day, in order. Default 07:30–11:30 and 13:00–17:00. */
  officeHours?: readonly OfficeBlock[];
  /**
   * Receipts after this time count as received on the next working day, for periods in working
   * days or working hours (calendar periods start the day after the event); null: no cut-off. The
   * value comes from the rule set in force (the one-stop rules of Nghị định 61/2018 move paper
   * dossiers received after 15:00 to the next morning; some procedures use 17:00).
   */
  cutoff?: string | null;
}

export interface OfficeBlock {
  start: string;
  end: string;
}

/**
 * The hours of state agencies most provinces publish (a 40-hour week of two blocks a day,
 * Quyết định 188/1999/QĐ-TTg); provinces set their own, hence a setting.
 */
export const DEFAULT_OFFICE_HOURS: readonly OfficeBlock[] = Object.freeze([
  Object.freeze({ start: '07:30', end: '11:30' }),
  Object.freeze({ start: '13:00', end: '17:00' }),
]);

/** Settings after validation, with times in minutes after local midnight. */
export interface ResolvedSettings {
  overrides: ReadonlyMap<CivilDate, DayOverride>;
  /** [start, end) minutes after midnight, ascending and disjoint. */
  officeBlocks: ReadonlyArray<readonly [number, number]>;
  cutoffMinutes: number | null;
}

/** Validates settings once, so that the calendar's arithmetic can trust them. */
export function resolveSettings(settings: CalendarSettings): ResolvedSettings {
  const overrides = new Map<CivilDate, DayOverride>();
  for (const override of settings.overrides) {
    parseCivilDate(override.date);
    if (override.kind !== 'holiday' && override.kind !== 'working_day') {
      throw new RangeError(`override for ${override.date}: unknown kind ${JSON.stringify(override.kind)}`);
    }
    if (overrides.has(override.date)) {
      // Two rows for one date would make the answer depend on their order: refuse the table.
      throw new RangeError(`two overrides for ${override.date}`);
    }
    overrides.set(override.date, override);
  }
  return {
    overrides,
    officeBlocks: resolveOfficeHours(settings.officeHours ?? DEFAULT_OFFICE_HOURS),
    cutoffMinutes: resolveCutoff(settings.cutoff ?? null),
  };
}

export function resolveCutoff(cutoff: string | null): number | null {
  return cutoff === null ? null : parseClock(cutoff);
}

function resolveOfficeHours(blocks: readonly OfficeBlock[]): Array<readonly [number, number]> {
  if (blocks.length === 0) throw new RangeError('office hours need at least one block');
  const out: Array<readonly [number, number]> = [];
  for (const block of blocks) {
    const start = parseClock(block.start);
    const end = block.end === '24:00' ? 24 * 60 : parseClock(block.end);
    const previous = out[out.length - 1];
    if (end <= start) throw new RangeError(`office block ${block.start}–${block.end} ends before it starts`);
    if (previous && start < previous[1]) {
      throw new RangeError(`office block ${block.start}–${block.end} overlaps or precedes the one before`);
    }
    out.push([start, end]);
  }
  return out;
}
