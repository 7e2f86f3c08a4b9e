import type { Tx } from '@tthc/db';
import type { Updateable } from 'kysely';
import type { DossierAccess } from '../access';
import type { DossierRow } from '../db/dossier.repository';
import type { StepRow } from '../db/facts.repository';
import type { DossierTable, IntakeDb } from '../db/schema';
import type { ActionInput } from '../domain/action-input';
import type { DossierAction } from '../domain/lifecycle';

/** The dossier an action applies to, its steps, and what the caller may do with it. */
export interface Subject {
  d: DossierRow;
  steps: StepRow[];
  access: DossierAccess;
}

/** What an action changes: the dossier row, the facts and events written after it, the trail's payload. */
export interface Change {
  set: Updateable<DossierTable>;
  /** Extra facts written after the dossier row (steps, supplements, payments) and events. */
  after?: (tx: Tx<IntakeDb>, updated: DossierRow) => Promise<void>;
  payload: Record<string, unknown>;
}

/** The body of each action; completing a step also names the step (from the path). */
export type Inputs = {
  [A in DossierAction]: A extends 'complete_step' ? ActionInput<A> & { seq: number } : ActionInput<A>;
};
