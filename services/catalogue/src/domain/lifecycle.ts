import type { ProcedureStatus } from '../db/schema';

export type LifecycleAction = 'update' | 'publish' | 'amend' | 'suspend' | 'resume' | 'abolish';

/**
 * Which action each status allows: draft → published (decision) → amended (a new version) →
 * suspended ↔ published → abolished (decision). An abolished procedure is history only.
 */
const allowed: Record<ProcedureStatus, readonly LifecycleAction[]> = {
  draft: ['update', 'publish'],
  published: ['amend', 'suspend', 'abolish'],
  suspended: ['resume', 'abolish'],
  abolished: [],
};

export function canApply(status: ProcedureStatus, action: LifecycleAction): boolean {
  return allowed[status].includes(action);
}

export function allowedActions(status: ProcedureStatus): readonly LifecycleAction[] {
  return allowed[status];
}

export const statusAfter: Record<Exclude<LifecycleAction, 'update'>, ProcedureStatus> = {
  publish: 'published',
  amend: 'published',
  suspend: 'suspended',
  resume: 'published',
  abolish: 'abolished',
};
