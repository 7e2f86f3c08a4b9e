import type { Identity } from '@tthc/contracts';
import { withTransaction, type Db, type Executor } from '@tthc/db';
import { HttpProblem, problems } from '@tthc/service-kit';
import { audit, type Actor } from '../db/audit.repository';
import { agenciesSeen } from '../db/dossier.repository';
import type { KpiDb } from '../db/schema';
import { subtreeByCode } from '../domain/agency-tree';
import { resolvePeriod, type Period } from '../domain/period';
import { agencyScope, engineValues } from '../targets/indicator-values';
import {
  evaluate,
  findNode,
  frameworkProblems,
  indicatorsOf,
  type FrameworkBody,
  type ManualScore,
  type NodeResult,
} from './framework';
import {
  allScores,
  anyPublished,
  getFramework,
  insertFramework,
  insertResult,
  publishedResult,
  replaceFramework,
  scoresOf,
  upsertScore,
  type StoredFramework,
} from '../db/framework.repository';
import { hasTwoDecimals, toCents } from './points';

/** A framework that breaks its rules: 422 naming every field at fault. */
function rejectIfBroken(body: Pick<FrameworkBody, 'areas'>): void {
  const found = frameworkProblems(body);
  if (found.length > 0)
    throw problems.unprocessable(
      'invalid_framework',
      `${found.length} problem(s) in the framework; nothing was stored`,
      found.map((p) => ({ in: 'body' as const, pointer: p.pointer, detail: p.detail })),
    );
}

export async function requireFramework(
  db: Executor<KpiDb>,
  code: string,
  year: number,
): Promise<StoredFramework> {
  const f = await getFramework(db, code, year);
  if (!f) throw problems.notFound('framework', `no framework ${code} for ${year}`);
  return f;
}

export async function createFramework(
  db: Db<KpiDb>,
  actor: Actor,
  body: FrameworkBody,
): Promise<StoredFramework> {
  rejectIfBroken(body);
  return withTransaction(db, async (tx) => {
    if (!(await insertFramework(tx, body, actor.sub)))
      throw problems.conflict(
        'framework_exists',
        `framework ${body.code} for ${body.year} exists; change it with PUT`,
      );
    await audit(tx, actor, {
      entity: 'framework',
      entityId: `${body.code}/${body.year}`,
      agencyCode: null,
      action: 'created',
      before: null,
      after: body,
    });
    return (await getFramework(tx, body.code, body.year)) as StoredFramework;
  });
}

/** Replaces a framework's tree while no result of it is published (a published result must stay reproducible). */
export async function changeFramework(
  db: Db<KpiDb>,
  actor: Actor,
  body: FrameworkBody,
): Promise<StoredFramework> {
  rejectIfBroken(body);
  return withTransaction(db, async (tx) => {
    const before = await getFramework(tx, body.code, body.year, true);
    if (!before) throw problems.notFound('framework', `no framework ${body.code} for ${body.year}`);
    if (await anyPublished(tx, body.code, body.year))
      throw problems.conflict(
        'framework_published',
        `a result of ${body.code} for ${body.year} is published; the framework can no longer change`,
      );
    // A score already entered must still fit its criterion: manual, and within the new maximum.
    const misfits = (await allScores(tx, body.code, body.year)).flatMap((sc) => {
      const node = findNode(body.areas, sc.criterion);
      if (
        node &&
        node.scoring?.kind === 'manual' &&
        !(node.children ?? []).length &&
        sc.points <= toCents(node.maxPoints)
      )
        return [];
      return [`${sc.agencyCode} scored ${sc.points / 100} on ${sc.criterion}`];
    });
    if (misfits.length > 0)
      throw problems.conflict(
        'scores_do_not_fit',
        `entered scores no longer fit the changed tree (not a manual criterion, or above its maximum): ${misfits.slice(0, 20).join('; ')}`,
      );
    await replaceFramework(tx, body, actor.sub);
    await audit(tx, actor, {
      entity: 'framework',
      entityId: `${body.code}/${body.year}`,
      agencyCode: null,
      action: 'changed',
      before: { name: before.name, areas: before.areas },
      after: body,
    });
    return (await getFramework(tx, body.code, body.year)) as StoredFramework;
  });
}

export interface ScoreInput {
  agencyCode: string;
  criterion: string;
  stage: 'self' | 'appraisal';
  points: number;
  comment: string | null;
  evidence: {
    documentNumber?: string | undefined;
    link?: string | undefined;
    attachmentName?: string | undefined;
  }[];
}

/**
 * Records an assessor's score of a manual criterion. A self-assessment comes from within the
 * agency's scope; an appraisal from an assessor of another, appraising, agency whose scope holds
 * it (or province-wide). The points lie between zero and the criterion's maximum, with at most two
 * decimals. A result already published for the agency is frozen: no score changes it.
 */
export async function enterScore(
  db: Db<KpiDb>,
  identity: Identity,
  actor: Actor,
  code: string,
  year: number,
  input: ScoreInput,
  now: Date,
): Promise<void> {
  const f = await requireFramework(db, code, year);
  const node = findNode(f.areas, input.criterion);
  const errors: { pointer: string; detail: string }[] = [];
  if (!node)
    errors.push({ pointer: '/criterion', detail: `no criterion ${input.criterion} in ${code} ${year}` });
  else if ((node.children ?? []).length > 0 || node.scoring?.kind !== 'manual')
    errors.push({
      pointer: '/criterion',
      detail: `${input.criterion} is ${node.children?.length ? 'scored by its children' : 'computed from an indicator'}, not entered by hand`,
    });
  if (input.points < 0)
    errors.push({ pointer: '/points', detail: `a score is not below zero (${input.points})` });
  else if (node && toCents(input.points) > toCents(node.maxPoints))
    errors.push({
      pointer: '/points',
      detail: `${input.points} is above the criterion's maximum ${node.maxPoints}`,
    });
  if (!hasTwoDecimals(input.points)) errors.push({ pointer: '/points', detail: 'at most two decimals' });
  if (errors.length > 0)
    throw problems.unprocessable(
      'invalid_score',
      errors.map((e) => e.detail).join('; '),
      errors.map((e) => ({ in: 'body' as const, ...e })),
    );
  if (input.stage === 'appraisal' && !identity.roles.includes('admin')) {
    if (identity.agencyCode === input.agencyCode)
      throw problems.forbidden('an agency does not appraise itself: appraisal is by the appraising agency', [
        { in: 'body', pointer: '/stage', detail: 'appraisal by the assessed agency' },
      ]);
  }
  await withTransaction(db, async (tx) => {
    await getFramework(tx, code, year, true);
    if (await publishedResult(tx, code, year, input.agencyCode))
      throw problems.conflict(
        'result_published',
        `the result of ${input.agencyCode} in ${code} ${year} is published and frozen`,
      );
    const before = (await scoresOf(tx, code, year, input.agencyCode)).find(
      (s) => s.criterion === input.criterion && s.stage === input.stage,
    );
    await upsertScore(tx, {
      code,
      year,
      agencyCode: input.agencyCode,
      criterion: input.criterion,
      stage: input.stage,
      points: toCents(input.points),
      comment: input.comment,
      evidence: input.evidence,
      assessor: actor.sub,
      assessorName: actor.name,
      at: now,
    });
    await audit(tx, actor, {
      entity: 'manual_score',
      entityId: `${code}/${year}/${input.agencyCode}/${input.criterion}/${input.stage}`,
      agencyCode: input.agencyCode,
      action: 'scored',
      before: before ? { ...before, points: before.points / 100 } : null,
      after: input,
    });
  });
}

/** The part of a year the figures are counted over: the whole year once it is over, else up to today. */
export function yearToDate(year: number, today: string): Period {
  const last = `${year}-12-31`;
  const first = `${year}-01-01`;
  return resolvePeriod({ from: first, to: today < last ? (today < first ? first : today) : last });
}

export interface FrameworkResult {
  framework: { code: string; year: number; name: string; version: number };
  agencyCode: string;
  period: { from: string; to: string };
  total: number;
  max: number;
  complete: boolean;
  frozen: boolean;
  publishedAt: string | null;
  publishedBy: string | null;
  areas: NodeResult[];
}

/** The agencies an agency's computed criteria count: itself and those below it by code. */
export async function agencyTree(db: Executor<KpiDb>, agencyCode: string): Promise<string[]> {
  return subtreeByCode(agencyCode, await agenciesSeen(db));
}

/** An agency's result: the frozen one once published, else computed now from facts and scores. */
export async function frameworkResult(
  db: Executor<KpiDb>,
  f: StoredFramework,
  agencyCode: string,
  today: string,
): Promise<FrameworkResult> {
  const published = await publishedResult(db, f.code, f.year, agencyCode);
  if (published)
    return {
      ...(published.result as FrameworkResult),
      frozen: true,
      publishedAt: published.publishedAt.toISOString(),
      publishedBy: published.publishedBy,
    };
  const period = yearToDate(f.year, today);
  const [indicators, scores] = await Promise.all([
    engineValues(db, agencyScope(await agencyTree(db, agencyCode)), period, indicatorsOf(f.areas)),
    scoresOf(db, f.code, f.year, agencyCode),
  ]);
  const manual = new Map<string, { self?: ManualScore; appraisal?: ManualScore }>();
  for (const { criterion, stage, ...s } of scores)
    manual.set(criterion, { ...manual.get(criterion), [stage === 'self' ? 'self' : 'appraisal']: s });
  const r = evaluate(f.areas, { indicators, manual });
  return {
    framework: { code: f.code, year: f.year, name: f.name, version: f.version },
    agencyCode,
    period: { from: period.from, to: period.to },
    ...r,
    frozen: false,
    publishedAt: null,
    publishedBy: null,
  };
}

/** Freezes an agency's result for the year: stored as computed now, answered as stored from then on. */
export async function publishResult(
  db: Db<KpiDb>,
  actor: Actor,
  f: StoredFramework,
  agencyCode: string,
  today: string,
  now: Date,
): Promise<FrameworkResult> {
  return withTransaction(db, async (tx) => {
    await getFramework(tx, f.code, f.year, true);
    const r = await frameworkResult(tx, f, agencyCode, today);
    if (r.frozen)
      throw problems.conflict('result_published', `the result of ${agencyCode} is already published`);
    if (
      !(await insertResult(tx, {
        code: f.code,
        year: f.year,
        agencyCode,
        total: r.total,
        result: r,
        by: actor.sub,
        at: now,
      }))
    )
      throw new HttpProblem(409, 'result_published', 'Xung đột trạng thái', 'published concurrently');
    await audit(tx, actor, {
      entity: 'framework_result',
      entityId: `${f.code}/${f.year}/${agencyCode}`,
      agencyCode,
      action: 'published',
      before: null,
      after: { total: r.total, max: r.max, complete: r.complete },
    });
    return { ...r, frozen: true, publishedAt: now.toISOString(), publishedBy: actor.sub };
  });
}
