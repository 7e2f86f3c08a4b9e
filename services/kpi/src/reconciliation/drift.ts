import { reconciliationDigest, type JobResult, type ReconciliationCell } from '@tthc/contracts';
import type { FactCellRow } from '../db/reconciliation.repository';

export type DriftKind = 'missing_in_kpi' | 'missing_in_intake' | 'status_differs' | 'placement_differs';

export interface Placement {
  agencyCode: string;
  day: string;
  status: string;
}

/** One dossier whose facts differ from intake's: how, and where each side counts it. */
export interface DriftItem {
  dossierId: string;
  code: string;
  kind: DriftKind;
  intake: Placement | null;
  kpi: Placement | null;
}

const key = (c: Placement) => `${c.agencyCode}|${c.day}|${c.status}`;

/** kpi's side of a reconciliation: each cell's count and digest of ids. */
export function cellsOf(rows: readonly FactCellRow[]): ReconciliationCell[] {
  return rows.map((r) => ({
    agencyCode: r.agencyCode,
    day: r.day,
    status: r.status as ReconciliationCell['status'],
    count: r.ids.length,
    digest: reconciliationDigest(r.ids),
  }));
}

/**
 * The dossiers behind the cells that differ: intake lists its dossiers of each such cell, kpi
 * knows its own; a dossier on one side only is missing on the other, one on both in other cells
 * has another status (or agency or day) in kpi's facts.
 */
export function driftOf(
  kpiRows: readonly FactCellRow[],
  intake: JobResult<'intake.reconciliation-counts'>,
): DriftItem[] {
  const ours = new Map(kpiRows.map((r) => [key(r), r]));
  const intakeById = new Map<string, { code: string; at: Placement }>();
  const kpiById = new Map<string, { code: string; at: Placement }>();
  for (const cell of intake.differing) {
    for (const d of cell.dossiers)
      intakeById.set(d.id, {
        code: d.code,
        at: { agencyCode: cell.agencyCode, day: cell.day, status: d.status },
      });
    const mine = ours.get(key(cell));
    mine?.ids.forEach((id, i) =>
      kpiById.set(id, {
        code: mine.codes[i] ?? '',
        at: { agencyCode: mine.agencyCode, day: mine.day, status: mine.status },
      }),
    );
  }
  const ids = [...new Set([...intakeById.keys(), ...kpiById.keys()])].sort();
  const drift: DriftItem[] = [];
  for (const id of ids) {
    const a = intakeById.get(id);
    const b = kpiById.get(id);
    if (a && b && key(a.at) === key(b.at)) continue;
    const kind: DriftKind = !b
      ? 'missing_in_kpi'
      : !a
        ? 'missing_in_intake'
        : a.at.status !== b.at.status
          ? 'status_differs'
          : 'placement_differs';
    drift.push({
      dossierId: id,
      code: a?.code ?? b?.code ?? '',
      kind,
      intake: a?.at ?? null,
      kpi: b?.at ?? null,
    });
  }
  return drift.sort((x, y) => x.code.localeCompare(y.code));
}
