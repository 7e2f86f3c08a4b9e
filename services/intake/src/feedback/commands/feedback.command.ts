import { randomUUID } from 'node:crypto';
import { emitEvent } from '@tthc/bus';
import { timeliness, vnDate } from '@tthc/calendar';
import { withTransaction, type Tx } from '@tthc/db';
import { HttpProblem, problems } from '@tthc/service-kit';
import type { Updateable } from 'kysely';
import { findDossierByCode } from '../../db/dossier.repository';
import {
  appendFeedbackHistory,
  findFeedbackByCode,
  insertFeedback,
  nextFeedbackSerial,
  updateFeedback,
  type FeedbackRow,
} from '../db/feedback.repository';
import { withFeedback, type FeedbackTable } from '../db/feedback.schema';
import { procedureInForce } from '../../db/procedure.repository';
import type { IntakeDb } from '../../db/schema';
import { listRuleSets } from '../../calendar';
import {
  canApplyToFeedback,
  FEEDBACK_TRANSITIONS,
  feedbackActionsFrom,
  feedbackCode,
  feedbackRulesOn,
  type FeedbackAction,
} from '../domain/feedback';
import type { AnswerFeedback, AssignFeedback, RateFeedback, ReceiveFeedback } from '../domain/feedback-input';
import { requireFeedbackScope } from '../../access';
import { actorColumns, type IntakeContext } from '../../commands/context';

/**
 * Receives a feedback: it is checked against the dossier or procedure it is about, gets its code
 * and its due date (the handling period of the rule set in force, in working days), and commits
 * with its first trail entry and its feedback.received event.
 */
export async function receiveFeedback(ctx: IntakeContext, input: ReceiveFeedback): Promise<FeedbackRow> {
  const now = ctx.clock();
  const today = vnDate(now);
  return withTransaction(ctx.db, async (tx) => {
    const { procedureCode, agencyCode } = await subjectOf(tx, input, today);
    requireFeedbackScope(ctx.actor.scope, { agency_code: agencyCode });
    const rules = feedbackRulesOn(
      (await listRuleSets(tx)).map((r) => ({ id: r.id, effectiveFrom: r.effective_from, params: r.params })),
      today,
    );
    if (!rules) throw new Error(`no rule set in force on ${today}`);
    // The period runs from the day after receipt whatever the hour (Civil Code 2015 Art. 147):
    // the one-stop receipt cut-off is a rule for dossiers, not for feedback.
    const dueAt = (await ctx.calendars.get(tx)).dueDate(
      now,
      { value: rules.handlingWorkingDays, unit: 'working_days' },
      { cutoff: null },
    );
    const db = withFeedback(tx);
    const serial = await nextFeedbackSerial(db, today);
    const f = await insertFeedback(db, {
      id: randomUUID(),
      code: feedbackCode(now, serial),
      kind: input.kind,
      procedure_code: procedureCode,
      dossier_code: input.dossierCode ?? null,
      agency_code: agencyCode,
      sender: JSON.stringify(input.sender),
      content: input.content,
      rule_set_id: rules.ruleSetId,
      received_at: now,
      due_at: dueAt,
      assigned_unit: null,
      assigned_officer: null,
      assigned_at: null,
      answer: null,
      answered_at: null,
      answered_by: null,
      timeliness: null,
      satisfaction: null,
      rating_comment: null,
      rated_at: null,
      status: 'received',
      version: 1,
    });
    // The trail and the event carry no personal data of the sender.
    await appendFeedbackHistory(db, {
      ...trailEntry(ctx, f, 'receive', null),
      payload: JSON.stringify({
        kind: f.kind,
        dueAt: dueAt.toISOString(),
        ruleSet: rules.ruleSetId,
        handlingWorkingDays: rules.handlingWorkingDays,
      }),
    });
    await emitEvent(
      tx,
      'feedback.received',
      {
        feedbackId: f.id,
        code: f.code,
        kind: f.kind,
        agencyCode: f.agency_code,
        procedureCode: f.procedure_code,
        dossierCode: f.dossier_code,
        receivedAt: f.received_at.toISOString(),
        dueAt: f.due_at.toISOString(),
      },
      eventOptions(ctx, f),
    );
    return f;
  });
}

/** The procedure and answering agency: from the dossier when one is named, else from the procedure. */
async function subjectOf(
  tx: Tx<IntakeDb>,
  input: ReceiveFeedback,
  today: string,
): Promise<{ procedureCode: string; agencyCode: string }> {
  if (input.dossierCode !== undefined) {
    const d = await findDossierByCode(tx, input.dossierCode);
    if (!d) {
      throw problems.unprocessable('unknown_dossier', `dossier ${input.dossierCode} not found`, [
        { in: 'body', pointer: '/dossierCode', detail: 'no dossier with this code' },
      ]);
    }
    if (input.procedureCode !== undefined && input.procedureCode !== d.procedure_code) {
      throw problems.unprocessable(
        'procedure_mismatch',
        `dossier ${d.code} is for procedure ${d.procedure_code}`,
        [{ in: 'body', pointer: '/procedureCode', detail: `the dossier's procedure is ${d.procedure_code}` }],
      );
    }
    return { procedureCode: d.procedure_code, agencyCode: input.agencyCode ?? d.agency_code };
  }
  const code = input.procedureCode!; // ReceiveFeedback requires one of the two
  // A regulation may be criticised while suspended or after its abolition: any known procedure will do.
  const found = await procedureInForce(tx, code, today);
  if (!found) {
    throw problems.unprocessable(
      'unknown_procedure',
      `procedure ${code} is not in the catalogue on ${today}`,
      [{ in: 'body', pointer: '/procedureCode', detail: 'no procedure with this code' }],
    );
  }
  return { procedureCode: code, agencyCode: input.agencyCode ?? found.version.deciding_agency_code };
}

/** Assigns (or moves) the feedback to a unit and officer. */
export function assignFeedback(
  ctx: IntakeContext,
  code: string,
  input: AssignFeedback,
  ifMatch: number | undefined,
): Promise<FeedbackRow> {
  const now = ctx.clock();
  return change(ctx, code, 'assign', ifMatch, () => ({
    set: { assigned_unit: input.unit, assigned_officer: input.officer ?? null, assigned_at: now },
    payload: input,
  }));
}

/**
 * Records the answer, judged early / on time / late against the due date as civil dates in Việt
 * Nam (domain.md, Timeliness), and emits feedback.answered for the indicator.
 */
export function answerFeedback(
  ctx: IntakeContext,
  code: string,
  input: AnswerFeedback,
  ifMatch: number | undefined,
): Promise<FeedbackRow> {
  const now = ctx.clock();
  return change(ctx, code, 'answer', ifMatch, (f) => {
    const verdict = timeliness(now, f.due_at);
    return {
      set: { answer: input.answer, answered_at: now, answered_by: ctx.actor.sub, timeliness: verdict },
      payload: { timeliness: verdict, dueAt: f.due_at.toISOString() },
      after: async (tx, u) => {
        await emitEvent(
          tx,
          'feedback.answered',
          {
            feedbackId: u.id,
            code: u.code,
            kind: u.kind,
            agencyCode: u.agency_code,
            answeredAt: now.toISOString(),
            dueAt: u.due_at.toISOString(),
            timeliness: verdict,
            onTime: verdict !== 'late',
          },
          eventOptions(ctx, u),
        );
      },
    };
  });
}

/** The sender rates the answer, once; the rating closes the feedback. */
export function rateFeedback(ctx: IntakeContext, code: string, input: RateFeedback): Promise<FeedbackRow> {
  const now = ctx.clock();
  return change(ctx, code, 'rate', 'not_required', () => ({
    set: { satisfaction: input.satisfaction, rating_comment: input.comment ?? null, rated_at: now },
    payload: { satisfaction: input.satisfaction },
    after: async (tx, u) => {
      await emitEvent(
        tx,
        'feedback.rated',
        {
          feedbackId: u.id,
          code: u.code,
          kind: u.kind,
          agencyCode: u.agency_code,
          satisfaction: input.satisfaction,
          ratedAt: now.toISOString(),
        },
        eventOptions(ctx, u),
      );
    },
  }));
}

interface Change {
  set: Updateable<FeedbackTable>;
  payload: Record<string, unknown>;
  after?: (tx: Tx<IntakeDb>, updated: FeedbackRow) => Promise<void>;
}

/**
 * One step of the feedback's life: the caller read the current version (If-Match: 428 without,
 * 412 when stale), the step is legal from the current status (409 naming it), and the change, its
 * trail entry and its event commit together.
 */
async function change(
  ctx: IntakeContext,
  code: string,
  action: FeedbackAction,
  ifMatch: number | undefined | 'not_required',
  plan: (f: FeedbackRow) => Change,
): Promise<FeedbackRow> {
  return withTransaction(ctx.db, async (tx) => {
    const db = withFeedback(tx);
    const f = await findFeedbackByCode(db, code, true);
    if (!f) throw problems.notFound('feedback', `feedback ${code} not found`);
    requireFeedbackScope(ctx.actor.scope, f);
    if (ifMatch !== 'not_required') requireVersion(f, ifMatch);
    if (action === 'rate' && f.satisfaction !== null) {
      throw problems.conflict('already_rated', `feedback ${code} is already rated`, {
        currentStatus: f.status,
      });
    }
    if (!canApplyToFeedback(f.status, action)) {
      throw problems.conflict(
        'invalid_transition',
        `feedback ${code} is ${f.status}: ${action} is not allowed; allowed: ${feedbackActionsFrom(f.status).join(', ') || 'none'}`,
        { currentStatus: f.status },
      );
    }
    const to = FEEDBACK_TRANSITIONS[action].to;
    const c = plan(f);
    const updated = await updateFeedback(db, f.id, f.version, { ...c.set, status: to });
    if (!updated) throw problems.preconditionFailed(`feedback ${code} changed while this request ran`);
    await appendFeedbackHistory(db, {
      ...trailEntry(ctx, updated, action, f.status),
      payload: JSON.stringify({ input: c.payload, changed: diff(f, updated) }),
    });
    await c.after?.(tx, updated);
    return updated;
  });
}

function requireVersion(f: FeedbackRow, ifMatch: number | undefined): void {
  if (ifMatch === undefined) {
    throw new HttpProblem(
      428,
      'precondition_required',
      'Thiếu If-Match',
      'send If-Match with the ETag of the feedback you read',
    );
  }
  if (ifMatch !== f.version) {
    throw problems.preconditionFailed(
      `feedback ${f.code} changed since you read it (now at version ${f.version})`,
    );
  }
}

function trailEntry(ctx: IntakeContext, f: FeedbackRow, action: string, from: FeedbackRow['status'] | null) {
  return {
    feedback_id: f.id,
    feedback_version: f.version,
    action,
    from_status: from,
    to_status: f.status,
    ...actorColumns(ctx.actor),
    at: ctx.clock(),
  };
}

/** What changed between two versions (for the trail); bookkeeping columns and the sender left out. */
function diff(before: FeedbackRow, after: FeedbackRow): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after) as (keyof FeedbackRow)[]) {
    if (key === 'version' || key === 'updated_at' || key === 'sender') continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key]))
      out[key] = { from: before[key], to: after[key] };
  }
  return out;
}

function eventOptions(ctx: IntakeContext, f: FeedbackRow) {
  return {
    source: 'intake',
    entityId: f.id,
    entityVersion: f.version,
    requestId: ctx.requestId,
    occurredAt: ctx.clock(),
  };
}
