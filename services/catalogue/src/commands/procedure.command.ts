import { randomUUID } from 'node:crypto';
import { emitEvent } from '@tthc/bus';
import { vnDate } from '@tthc/calendar';
import type { EventPayload } from '@tthc/contracts';
import { withTransaction, type Executor, type Tx } from '@tthc/db';
import { HttpProblem, problems, type FieldError } from '@tthc/service-kit';
import { agencyRoot, findAgency } from '../db/agency.repository';
import { findField } from '../db/field.repository';
import {
  advanceProcedure,
  appendHistory,
  findProcedure,
  findVersion,
  insertProcedure,
  insertVersion,
  updateVersion,
  type ProcedureRow,
  type VersionRow,
} from '../db/procedure.repository';
import type { CatalogueDb, HistoryAction, ProcedureStatus } from '../db/schema';
import { allowedActions, canApply, statusAfter, type LifecycleAction } from '../domain/lifecycle';
import {
  contentHash,
  isComplete,
  isFeeBearing,
  localCode,
  type Decision,
  type ProcedureContent,
} from '../domain/procedure';

export interface CommandContext {
  db: Executor<CatalogueDb>;
  actor: string;
  requestId: string | null;
  clock: () => Date;
}

type Write = { tx: Tx<CatalogueDb>; ctx: CommandContext };

/** Refuses content that refers to a field or agency the catalogue does not hold, naming each. */
async function checkReferences(tx: Tx<CatalogueDb>, c: ProcedureContent, base = ''): Promise<void> {
  const errors: FieldError[] = [];
  if (!(await findField(tx, c.fieldCode))) {
    errors.push({ in: 'body', pointer: `${base}/fieldCode`, detail: `unknown field code ${c.fieldCode}` });
  }
  for (const key of ['decidingAgencyCode', 'receivingAgencyCode'] as const) {
    if (!(await findAgency(tx, c[key])))
      errors.push({ in: 'body', pointer: `${base}/${key}`, detail: `unknown agency ${c[key]}` });
  }
  for (const [i, p] of (c.interAgency?.participants ?? []).entries()) {
    if (!(await findAgency(tx, p.agencyCode))) {
      errors.push({
        in: 'body',
        pointer: `${base}/interAgency/participants/${i}/agencyCode`,
        detail: `unknown agency ${p.agencyCode}`,
      });
    }
  }
  if (errors.length > 0) {
    throw problems.unprocessable('unknown_reference', errors.map((e) => e.detail).join('; '), errors);
  }
}

function versionColumns(code: string, c: ProcedureContent) {
  return {
    code,
    name: c.name,
    field_code: c.fieldCode,
    deciding_agency_code: c.decidingAgencyCode,
    receiving_agency_code: c.receivingAgencyCode,
    authority_level: c.authorityLevel,
    online_level: c.onlineLevel,
    legacy_level: c.legacyLevel,
    fee_bearing: isFeeBearing(c),
    complete: isComplete(c),
    inter_agency: c.interAgency !== null,
    content: JSON.stringify(c),
    content_hash: contentHash(c),
  };
}

export function contentOf(v: VersionRow): ProcedureContent {
  return v.content as ProcedureContent;
}

function requireAction(p: ProcedureRow, action: LifecycleAction): void {
  if (!canApply(p.status, action)) {
    throw problems.conflict(
      'invalid_transition',
      `procedure ${p.code} is ${p.status}: ${action} is not allowed (allowed: ${allowedActions(p.status).join(', ') || 'none'})`,
      { currentStatus: p.status },
    );
  }
}

/** The ETag check: the caller must name the row version it read. */
function requireMatch(p: ProcedureRow, ifMatch: number | undefined): void {
  if (ifMatch === undefined) {
    throw new HttpProblem(
      428,
      'precondition_required',
      'Thiếu If-Match',
      'send If-Match with the ETag of the procedure you read',
    );
  }
  if (ifMatch !== p.row_version) {
    throw problems.preconditionFailed(
      `procedure ${p.code} changed since you read it (now at ${p.row_version})`,
    );
  }
}

async function advance(
  tx: Tx<CatalogueDb>,
  p: ProcedureRow,
  set: { status?: ProcedureStatus; current_version?: number },
) {
  const next = await advanceProcedure(tx, p.id, p.row_version, set);
  if (next === undefined)
    throw problems.preconditionFailed(`procedure ${p.code} changed while this request ran`);
  return next;
}

async function history(
  w: Write,
  p: ProcedureRow,
  version: number,
  action: HistoryAction,
  status: ProcedureStatus,
  d?: Decision,
  reason?: string,
) {
  await appendHistory(w.tx, {
    procedure_id: p.id,
    version,
    action,
    status_after: status,
    decision_number: d?.decisionNumber ?? null,
    decision_signed_on: d?.signedOn ?? null,
    effective_from: d?.effectiveFrom ?? null,
    reason: reason ?? null,
    actor: w.ctx.actor,
  });
}

export async function publishedPayload(
  tx: Executor<CatalogueDb>,
  p: ProcedureRow,
  v: VersionRow,
): Promise<EventPayload<'procedure.published'>> {
  const c = contentOf(v);
  return {
    procedureId: p.id,
    code: p.code,
    localCode: v.local_code ?? localCode(p.code, await agencyRoot(tx, c.decidingAgencyCode)),
    version: v.version,
    name: c.name,
    fieldCode: c.fieldCode,
    decidingAgencyCode: c.decidingAgencyCode,
    receivingAgencyCode: c.receivingAgencyCode,
    authorityLevel: c.authorityLevel,
    onlineLevel: c.onlineLevel,
    methods: c.methods,
    components: c.components,
    interAgency: c.interAgency,
    feeBearing: v.fee_bearing,
    complete: v.complete,
    decisionNumber: v.decision_number ?? '',
    validFrom: v.valid_from ?? '',
    legacyLevel: c.legacyLevel,
    resultIsPaper: c.result ? c.result.isPaperDocument : null,
    onlinePayment: c.onlinePayment,
    decisionSignedOn: v.decision_signed_on,
    nationalPublishedOn: v.national_published_on,
    legalBasisEffectiveFrom: latestEffective(c),
  };
}

/**
 * The legal basis that made the decision necessary is the one that took effect last; a
 * provincial decision must come at least 5 days before it (publication timeliness).
 */
function latestEffective(c: ProcedureContent): string | null {
  const dates = c.legalBasis.map((b) => b.effectiveFrom).filter((d): d is string => d !== null);
  return dates.length ? dates.reduce((a, b) => (a > b ? a : b)) : null;
}

function emitOptions(w: Write, p: ProcedureRow, rowVersion: number) {
  return { source: 'catalogue', entityId: p.id, entityVersion: rowVersion, requestId: w.ctx.requestId };
}

/** A decision cannot be signed in the future. */
function checkDecision(ctx: CommandContext, d: Decision): void {
  if (d.signedOn > vnDate(ctx.clock())) {
    throw problems.unprocessable(
      'decision_in_future',
      `decision ${d.decisionNumber} is dated ${d.signedOn}, after today`,
      [{ in: 'body', pointer: '/signedOn', detail: 'a decision cannot be signed in the future' }],
    );
  }
}

export async function createProcedure(
  ctx: CommandContext,
  code: string,
  content: ProcedureContent,
): Promise<string> {
  return withTransaction(ctx.db, async (tx) => {
    await checkReferences(tx, content);
    const id = randomUUID();
    if (!(await insertProcedure(tx, { id, code, status: 'draft', current_version: 1 }))) {
      throw problems.conflict('procedure_exists', `procedure ${code} already exists`);
    }
    await insertVersion(tx, {
      procedure_id: id,
      version: 1,
      state: 'draft',
      ...versionColumns(code, content),
    });
    const p = (await findProcedure(tx, code))!;
    await history({ tx, ctx }, p, 1, 'created', 'draft');
    return id;
  });
}

export async function updateDraft(
  ctx: CommandContext,
  code: string,
  ifMatch: number | undefined,
  content: ProcedureContent,
): Promise<void> {
  await withTransaction(ctx.db, async (tx) => {
    const p = await mustFind(tx, code);
    requireMatch(p, ifMatch);
    requireAction(p, 'update');
    await checkReferences(tx, content);
    await updateVersion(tx, p.id, p.current_version, versionColumns(code, content));
    await advance(tx, p, {});
    await history({ tx, ctx }, p, p.current_version, 'updated', 'draft');
  });
}

export async function publish(
  ctx: CommandContext,
  code: string,
  ifMatch: number | undefined,
  d: Decision,
): Promise<void> {
  checkDecision(ctx, d);
  await withTransaction(ctx.db, async (tx) => {
    const p = await mustFind(tx, code);
    requireMatch(p, ifMatch);
    requireAction(p, 'publish');
    const v = (await findVersion(tx, p.id, p.current_version))!;
    const root = await agencyRoot(tx, contentOf(v).decidingAgencyCode);
    await updateVersion(tx, p.id, v.version, {
      state: 'published',
      local_code: localCode(p.code, root),
      decision_number: d.decisionNumber,
      decision_signed_on: d.signedOn,
      national_published_on: d.nationalPublishedOn,
      valid_from: d.effectiveFrom,
    });
    const rv = await advance(tx, p, { status: 'published' });
    await history({ tx, ctx }, p, v.version, 'published', 'published', d);
    const published = (await findVersion(tx, p.id, v.version))!;
    await emitEvent(
      tx,
      'procedure.published',
      await publishedPayload(tx, p, published),
      emitOptions({ tx, ctx }, p, rv),
    );
  });
}

/**
 * An amendment is a new published version from its effective date; the previous version keeps
 * its validity window up to that date.
 */
export async function amend(
  ctx: CommandContext,
  code: string,
  ifMatch: number | undefined,
  content: ProcedureContent,
  d: Decision,
): Promise<number> {
  checkDecision(ctx, d);
  return withTransaction(ctx.db, async (tx) => {
    const p = await mustFind(tx, code);
    requireMatch(p, ifMatch);
    requireAction(p, 'amend');
    await checkReferences(tx, content);
    const previous = (await findVersion(tx, p.id, p.current_version))!;
    if (previous.valid_from !== null && d.effectiveFrom <= previous.valid_from) {
      throw problems.unprocessable(
        'amendment_not_after_current',
        `an amendment must take effect after version ${previous.version} (in force from ${previous.valid_from})`,
        [{ in: 'body', pointer: '/effectiveFrom', detail: `must be after ${previous.valid_from}` }],
      );
    }
    const version = previous.version + 1;
    const root = await agencyRoot(tx, content.decidingAgencyCode);
    await updateVersion(tx, p.id, previous.version, { valid_to: d.effectiveFrom });
    await insertVersion(tx, {
      procedure_id: p.id,
      version,
      state: 'published',
      ...versionColumns(code, content),
      local_code: localCode(code, root),
      decision_number: d.decisionNumber,
      decision_signed_on: d.signedOn,
      national_published_on: d.nationalPublishedOn,
      valid_from: d.effectiveFrom,
    });
    const rv = await advance(tx, p, { current_version: version, status: 'published' });
    await history({ tx, ctx }, p, version, 'amended', 'published', d);
    const v = (await findVersion(tx, p.id, version))!;
    await emitEvent(
      tx,
      'procedure.changed',
      await publishedPayload(tx, p, v),
      emitOptions({ tx, ctx }, p, rv),
    );
    return version;
  });
}

/** Suspend, resume or abolish by a decision, from its effective date. */
export async function changeStatus(
  ctx: CommandContext,
  code: string,
  ifMatch: number | undefined,
  action: 'suspend' | 'resume' | 'abolish',
  d: Decision,
  reason: string | null,
): Promise<void> {
  checkDecision(ctx, d);
  await withTransaction(ctx.db, async (tx) => {
    const p = await mustFind(tx, code);
    requireMatch(p, ifMatch);
    requireAction(p, action);
    const v = (await findVersion(tx, p.id, p.current_version))!;
    if (v.valid_from !== null && d.effectiveFrom < v.valid_from) {
      throw problems.unprocessable(
        'effective_before_version',
        `the decision takes effect before version ${v.version} does (${v.valid_from})`,
        [{ in: 'body', pointer: '/effectiveFrom', detail: `must be on or after ${v.valid_from}` }],
      );
    }
    const status = statusAfter[action];
    // An abolished procedure's last version stops being in force on the effective date.
    if (action === 'abolish' && (v.valid_from === null || d.effectiveFrom > v.valid_from)) {
      await updateVersion(tx, p.id, v.version, { valid_to: d.effectiveFrom });
    }
    const rv = await advance(tx, p, { status });
    const historyAction: HistoryAction =
      action === 'suspend' ? 'suspended' : action === 'resume' ? 'resumed' : 'abolished';
    await history({ tx, ctx }, p, v.version, historyAction, status, d, reason ?? undefined);
    const type =
      action === 'suspend'
        ? 'procedure.suspended'
        : action === 'resume'
          ? 'procedure.resumed'
          : 'procedure.abolished';
    await emitEvent(
      tx,
      type,
      {
        procedureId: p.id,
        code: p.code,
        version: v.version,
        status: status as 'published' | 'suspended' | 'abolished',
        decisionNumber: d.decisionNumber,
        decisionSignedOn: d.signedOn,
        effectiveFrom: d.effectiveFrom,
      },
      emitOptions({ tx, ctx }, p, rv),
    );
  });
}

async function mustFind(tx: Tx<CatalogueDb>, code: string): Promise<ProcedureRow> {
  const p = await findProcedure(tx, code, true);
  if (!p) throw problems.notFound('procedure', `procedure ${code} not found`);
  return p;
}
