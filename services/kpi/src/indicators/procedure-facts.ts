import type { ProcedureStatusRow, ProcedureVersionRow } from '../db/procedure.repository';
import type { Scope } from '../domain/scope';

export type ProcedureInForce = ProcedureVersionRow;

/**
 * The procedure versions of a scope and their status over time. A version is valid from its
 * date until the next version's; it is in force on a day when it is valid and the procedure's
 * latest status change by then is "published" (not suspended or abolished). A closed period
 * reads the versions valid then, so a later amendment never changes it.
 */
export class ProcedureFacts {
  private readonly versions: ProcedureVersionRow[];
  private readonly statuses: Map<string, ProcedureStatusRow[]>;

  constructor(versions: ProcedureVersionRow[], statuses: ProcedureStatusRow[], scope: Scope) {
    this.versions = versions.filter(
      (v) =>
        (scope.fieldCode === null || v.field_code === scope.fieldCode) &&
        (scope.procedureCode === null || v.code === scope.procedureCode),
    );
    this.statuses = new Map();
    for (const s of statuses) this.statuses.set(s.code, [...(this.statuses.get(s.code) ?? []), s]);
  }

  private statusOn(code: string, day: string): string | null {
    let latest: ProcedureStatusRow | null = null;
    for (const s of this.statuses.get(code) ?? []) {
      if (s.effective_from > day) continue;
      if (
        !latest ||
        s.effective_from > latest.effective_from ||
        (s.effective_from === latest.effective_from && s.event_version > latest.event_version)
      )
        latest = s;
    }
    return latest?.status ?? null;
  }

  /** One version per procedure code: the one in force at the end of the day. */
  inForceOn(day: string): ProcedureInForce[] {
    return this.versions
      .filter((v) => v.valid_from <= day && (v.valid_to === null || v.valid_to > day))
      .filter((v) => this.statusOn(v.code, day) === 'published')
      .sort((a, b) => a.code.localeCompare(b.code));
  }

  /** Every version (amendments included), for criteria about decisions. */
  all(): readonly ProcedureVersionRow[] {
    return this.versions;
  }
}
