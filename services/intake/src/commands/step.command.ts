import type { InterAgency, ProcessingTime } from '@tthc/contracts';
import type { Tx } from '@tthc/db';
import { problems } from '@tthc/service-kit';
import { stepsHeldBy } from '../access';
import { endSteps, insertStep, type StepRow } from '../db/facts.repository';
import { findProcedureVersion } from '../db/procedure.repository';
import type { IntakeDb } from '../db/schema';
import { dueDateFor, isPaperTransfer } from '../domain/deadline';
import type { RuleParams } from '../calendar';
import type { Change, Inputs, Subject } from './action-plan';
import type { IntakeContext } from './context';
import { iso } from './dossier-events';

const DEFAULT_TASK = 'Xử lý hồ sơ';

/**
 * The step being handed over: for an agency holding steps of the dossier, its own open step
 * (one of the main chain before a parallel one, its own agency's before a sub-agency's, the
 * latest first); for the owner, the latest open step of the main (sequential or internal)
 * chain. Parallel steps stay open until their agency completes them.
 */
function stepHandedOver(
  subject: Subject,
  actor: { scope: readonly string[] | null; agencyCode: string | null },
): StepRow | undefined {
  const open =
    subject.access === 'step'
      ? stepsHeldBy(actor.scope, subject.steps)
      : subject.steps.filter((s) => s.completed_at === null && s.mode !== 'parallel');
  const rank = (s: StepRow) => [
    s.mode === 'parallel' ? 1 : 0,
    s.agency_code === actor.agencyCode ? 0 : 1,
    -s.seq,
  ];
  return open.sort((a, b) => {
    const [x, y] = [rank(a), rank(b)];
    return x[0]! - y[0]! || x[1]! - y[1]! || x[2]! - y[2]!;
  })[0];
}

/** What the procedure says of an agency's part in its inter-agency processing (task, time). */
async function participantOf(tx: Tx<IntakeDb>, subject: Subject, agencyCode: string) {
  const p = await findProcedureVersion(tx, subject.d.procedure_code, subject.d.procedure_version);
  const inter = (p?.inter_agency ?? null) as InterAgency | null;
  return inter?.participants.find((x) => x.agencyCode === agencyCode);
}

/**
 * Assigns the dossier to a unit and officer, or passes it to another agency (một cửa liên
 * thông, Nghị định 61/2018 Art. 21-22; Nghị định 118/2025 likewise): a sequential or internal
 * hand-over closes only the step being handed over; a parallel one opens a step beside the
 * others and leaves the dossier's current holder as it is. The new step's task and deadline
 * are those the procedure sets for that agency unless the request gives them.
 */
export async function planAssignment(
  tx: Tx<IntakeDb>,
  ctx: IntakeContext,
  subject: Subject,
  i: Inputs['assign'],
  rules: RuleParams,
): Promise<Change> {
  const { d, steps } = subject;
  const now = ctx.clock();
  // The first assignment of a paper dossier, in any mode, is the desk handing the paper over.
  const transfer = subject.steps.find((s) => s.completed_at === null && isPaperTransfer(s));
  const handedOver = i.mode === 'parallel' ? transfer : stepHandedOver(subject, ctx.actor);
  if (subject.access === 'step' && i.mode !== 'parallel' && !handedOver) {
    throw problems.forbidden(`your agency holds no open step of dossier ${d.code} to hand over`);
  }
  // An agency working on its own step assigns within itself unless it names the next agency.
  const agencyCode =
    i.agencyCode ?? (subject.access === 'step' && handedOver ? handedOver.agency_code : d.agency_code);
  const participant = await participantOf(tx, subject, agencyCode);
  const time: ProcessingTime | undefined = i.processingTime ?? participant?.processingTime;
  const stepDue = time ? dueDateFor(await ctx.calendars.get(tx), now, time, rules) : d.due_at;
  const task = i.task ?? participant?.task ?? DEFAULT_TASK;
  const holder = i.mode === 'parallel' ? {} : { current_unit: i.unit, current_officer: i.officer ?? null };
  return {
    set: holder,
    after: async (t) => {
      if (handedOver)
        await endSteps(t, d.id, [handedOver.seq], { at: now, outcome: 'handed_over', by: ctx.actor.sub });
      await insertStep(t, {
        dossier_id: d.id,
        seq: nextSeq(steps),
        agency_code: agencyCode,
        unit: i.unit,
        officer: i.officer ?? null,
        task,
        mode: i.mode,
        assigned_at: now,
        due_at: stepDue,
        completed_at: null,
        outcome: null,
        completed_by: null,
        note: null,
      });
    },
    payload: { ...i, agencyCode, task, stepDueAt: iso(stepDue), handedOverStep: handedOver?.seq ?? null },
  };
}

/**
 * An agency ends its own step: completed (its part is done; a parallel step closes, the main
 * chain waits for the next hand-over), or returned for correction to the agency that handed it
 * over (or the receiving desk), which gets a step back.
 */
export function planStepEnd(ctx: IntakeContext, subject: Subject, i: Inputs['complete_step']): Change {
  const { d, steps } = subject;
  const now = ctx.clock();
  const step = steps.find((s) => s.seq === i.seq);
  if (!step) throw problems.notFound('step', `dossier ${d.code} has no step ${i.seq}`);
  if (step.completed_at !== null) {
    throw problems.conflict(
      'step_done',
      `step ${i.seq} of dossier ${d.code} ended at ${step.completed_at.toISOString()} (${step.outcome ?? 'closed'})`,
    );
  }
  if (subject.access === 'step' && !stepsHeldBy(ctx.actor.scope, steps).some((s) => s.seq === step.seq)) {
    throw problems.forbidden(`step ${i.seq} of dossier ${d.code} belongs to another agency`);
  }
  const giver = i.outcome === 'returned' ? giverOf(steps, step) : undefined;
  const back = giver ?? { agency_code: d.receiving_agency_code, unit: null, officer: null };
  return {
    set: i.outcome === 'returned' ? { current_unit: back.unit, current_officer: back.officer } : {},
    after: async (t) => {
      await endSteps(t, d.id, [step.seq], {
        at: now,
        outcome: i.outcome,
        by: ctx.actor.sub,
        note: i.note ?? null,
      });
      if (i.outcome !== 'returned') return;
      await insertStep(t, {
        dossier_id: d.id,
        seq: nextSeq(steps),
        agency_code: back.agency_code,
        unit: back.unit,
        officer: back.officer,
        task: `Điều chỉnh, bổ sung hồ sơ theo yêu cầu của bước ${step.seq}${i.note ? `: ${i.note}` : ''}`.slice(
          0,
          1000,
        ),
        mode: 'sequential',
        assigned_at: now,
        due_at: d.due_at,
        completed_at: null,
        outcome: null,
        completed_by: null,
        note: null,
      });
    },
    payload: { seq: step.seq, agencyCode: step.agency_code, outcome: i.outcome, note: i.note ?? null },
  };
}

/** The step that handed this one over: the latest earlier step that ended by a hand-over. */
function giverOf(steps: readonly StepRow[], step: StepRow): StepRow | undefined {
  return steps
    .filter((s) => s.seq < step.seq && s.outcome === 'handed_over')
    .sort((a, b) => b.seq - a.seq)[0];
}

function nextSeq(steps: readonly StepRow[]): number {
  return steps.reduce((max, s) => Math.max(max, s.seq), 0) + 1;
}
