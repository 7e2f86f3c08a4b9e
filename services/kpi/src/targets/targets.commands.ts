import { withTransaction, type Db, type Executor } from '@tthc/db';
import { problems, type FieldError, type ProblemCode } from '@tthc/service-kit';
import { audit, type Actor } from '../db/audit.repository';
import type { KpiDb } from '../db/schema';
import { findNode } from '../frameworks/framework';
import { getFramework } from '../db/framework.repository';
import { hasTwoDecimals } from '../frameworks/points';
import { engineIndicator, FRAMEWORK_REF, type IndicatorInfo } from './indicator-catalogue';
import {
  deleteTarget,
  findTarget,
  upsertTarget,
  type Target,
  type TargetInput,
} from '../db/target.repository';

/** What a target's indicator names, or why it names nothing kpi can count. */
export async function resolveIndicator(
  db: Executor<KpiDb>,
  indicator: string,
  year: number,
): Promise<IndicatorInfo | string> {
  const engine = engineIndicator(indicator);
  if (engine) return engine;
  const m = FRAMEWORK_REF.exec(indicator);
  if (!m) return `unknown indicator ${indicator} (see GET /v1/kpi/target-indicators)`;
  const [, code = '', node = ''] = m;
  const f = await getFramework(db, code, year);
  if (!f) return `no framework ${code} for ${year}`;
  const n = findNode(f.areas, node);
  if (!n) return `no criterion ${node} in framework ${code} ${year}`;
  return { id: indicator, kind: 'framework', name: n.name, unit: 'points' };
}

/** The problems of one target, with pointers under `base` (a body field or an import row). */
async function targetProblems(
  db: Executor<KpiDb>,
  t: TargetInput,
  base: string,
  pointerOf: (field: keyof TargetInput) => string = (f) => `${base}/${f}`,
): Promise<{ pointer: string; detail: string }[]> {
  const out: { pointer: string; detail: string }[] = [];
  const found = await resolveIndicator(db, t.indicator, t.year);
  if (typeof found === 'string') out.push({ pointer: pointerOf('indicator'), detail: found });
  else if (found.unit === 'percent' && (t.value < 0 || t.value > 100))
    out.push({ pointer: pointerOf('value'), detail: `a rate in percent is between 0 and 100 (${t.value})` });
  if (!hasTwoDecimals(t.value)) out.push({ pointer: pointerOf('value'), detail: 'at most two decimals' });
  if (t.value < 0) out.push({ pointer: pointerOf('value'), detail: 'a target is not below zero' });
  return out;
}

const unprocessable = (code: ProblemCode, errors: { pointer: string; detail: string }[], what: string) =>
  problems.unprocessable(
    code,
    `${errors.length} problem(s) in the ${what}; nothing was stored`,
    errors.map((e): FieldError => ({ in: 'body', ...e })),
  );

async function store(tx: Executor<KpiDb>, actor: Actor, t: TargetInput, action: 'created' | 'imported') {
  const before = await findTarget(tx, t, true);
  const after = await upsertTarget(tx, t, actor.sub);
  await audit(tx, actor, {
    entity: 'target',
    entityId: after.id,
    agencyCode: t.agencyCode,
    action: before ? 'changed' : action,
    before: before ?? null,
    after,
  });
  return after;
}

export async function setTarget(db: Db<KpiDb>, actor: Actor, t: TargetInput): Promise<Target> {
  const errors = await targetProblems(db, t, '');
  if (errors.length > 0) throw unprocessable('invalid_target', errors, 'target');
  return withTransaction(db, (tx) => store(tx, actor, t, 'created'));
}

export async function removeTarget(
  db: Db<KpiDb>,
  actor: Actor,
  id: string,
  allowed: (t: Target) => void,
): Promise<void> {
  await withTransaction(db, async (tx) => {
    const before = await findTarget(tx, { id }, true);
    if (!before) throw problems.notFound('target');
    allowed(before);
    await deleteTarget(tx, id);
    await audit(tx, actor, {
      entity: 'target',
      entityId: id,
      agencyCode: before.agencyCode,
      action: 'deleted',
      before,
      after: null,
    });
  });
}

/** One row of an imported sheet, as read, with the sheet's row number (the header is row 1). */
export interface TargetRow {
  row: number;
  input: TargetInput | null;
  errors: { column: string; detail: string }[];
}

/**
 * Imports targets, all or none: every row is checked first and any problem (a cell that does not
 * read, an unknown indicator, a value out of range, the same target twice) refuses the whole sheet
 * with each row and column named; else every row is stored in one transaction.
 */
export async function importTargets(
  db: Db<KpiDb>,
  actor: Actor,
  rows: readonly TargetRow[],
  allowed: (agencyCode: string, pointer: string) => void,
): Promise<Target[]> {
  const errors: { pointer: string; detail: string }[] = [];
  const seen = new Map<string, number>();
  for (const r of rows) {
    for (const e of r.errors) errors.push({ pointer: `/rows/${r.row}/${e.column}`, detail: e.detail });
    if (!r.input) continue;
    allowed(r.input.agencyCode, `/rows/${r.row}/agencyCode`);
    const key = `${r.input.agencyCode}|${r.input.year}|${r.input.indicator}`;
    const first = seen.get(key);
    if (first !== undefined)
      errors.push({ pointer: `/rows/${r.row}/indicator`, detail: `the same target as row ${first}` });
    seen.set(key, r.row);
    errors.push(...(await targetProblems(db, r.input, `/rows/${r.row}`)));
  }
  if (rows.length === 0) errors.push({ pointer: '/rows', detail: 'the sheet has no target rows' });
  if (errors.length > 0) throw unprocessable('import_rejected', errors, 'sheet');
  return withTransaction(db, async (tx) => {
    const out: Target[] = [];
    for (const r of rows) out.push(await store(tx, actor, r.input as TargetInput, 'imported'));
    return out;
  });
}
