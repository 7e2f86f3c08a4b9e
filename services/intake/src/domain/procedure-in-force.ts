import type { Selectable } from 'kysely';
import type { ProcedureStatusCopyTable, ProcedureVersionCopyTable } from '../db/schema';

type Version = Selectable<ProcedureVersionCopyTable>;
type Status = Pick<ProcedureStatusCopyTable, 'effective_from' | 'status' | 'event_version'>;

/** What the intake's copy holds of one procedure: its versions and its status changes. */
export interface ProcedureHistory {
  versions: Version[];
  statuses: Status[];
}

export interface ProcedureInForce {
  version: Version;
  status: ProcedureStatusCopyTable['status'];
}

/**
 * The version in force on a civil date (the latest valid from that date or before, the higher
 * version number on the same date) and the procedure's status then (the latest change effective
 * by that date; of two on one date, the later event wins; published when none is recorded). A
 * dossier keeps the version in force when it was received (domain.md, Procedure catalogue).
 */
export function inForceOn(h: ProcedureHistory, date: string): ProcedureInForce | undefined {
  let version: Version | undefined;
  for (const v of h.versions) {
    if (v.valid_from > date) continue;
    if (
      !version ||
      v.valid_from > version.valid_from ||
      (v.valid_from === version.valid_from && v.version > version.version)
    )
      version = v;
  }
  if (!version) return undefined;
  let status: Status | undefined;
  for (const s of h.statuses) {
    if (s.effective_from > date) continue;
    if (
      !status ||
      s.effective_from > status.effective_from ||
      (s.effective_from === status.effective_from && s.event_version > status.event_version)
    )
      status = s;
  }
  return { version, status: status?.status ?? 'published' };
}
