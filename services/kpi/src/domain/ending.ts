import type { DossierTimeline } from './timeline';

export type EndKind = 'resolved' | 'returned' | 'withdrawn' | 'stopped';

export interface Ending {
  at: Date;
  kind: EndKind;
}

/**
 * When and how a dossier ended (domain.md, Timeliness): at the first of resolved (status 9),
 * returned (10) when it skipped 9, withdrawn (7) or stopped (8). A dossier never received
 * (refused at the desk, or submitted and never accepted) has no end: it counts nowhere.
 * Every figure asks this function, so "ended" means one thing across the service.
 */
export function endingOf(t: DossierTimeline): Ending | null {
  if (t.receivedAt === null) return null;
  let best: Ending | null = null;
  const consider = (at: Date | null, kind: EndKind) => {
    if (at !== null && (best === null || at < best.at)) best = { at, kind };
  };
  consider(t.resolvedAt, 'resolved');
  consider(t.withdrawnAt, 'withdrawn');
  consider(t.stoppedAt, 'stopped');
  if (t.resolvedAt === null) consider(t.returnedAt, 'returned');
  return best;
}

/** Withdrawn and stopped dossiers have no result: they go in the on-time column whatever their date. */
export function endedWithoutResult(kind: EndKind): boolean {
  return kind === 'withdrawn' || kind === 'stopped';
}
