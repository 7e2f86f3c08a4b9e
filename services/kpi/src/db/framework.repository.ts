import type { Executor } from '@tthc/db';
import { sql, type Selectable } from 'kysely';
import type { KpiDb } from './schema';
import { toCents, type Cents } from '../frameworks/points';
import type { FrameworkNode, ManualScore } from '../frameworks/framework';

export interface StoredFramework {
  code: string;
  year: number;
  name: string;
  areas: FrameworkNode[];
  version: number;
  updatedBy: string;
  updatedAt: Date;
}

const toFramework = (r: Selectable<KpiDb['frameworks']>): StoredFramework => ({
  code: r.code,
  year: r.year,
  name: r.name,
  areas: (r.definition as { areas: FrameworkNode[] }).areas,
  version: r.version,
  updatedBy: r.updated_by,
  updatedAt: r.updated_at,
});

export async function getFramework(
  db: Executor<KpiDb>,
  code: string,
  year: number,
  lock = false,
): Promise<StoredFramework | undefined> {
  let q = db.selectFrom('frameworks').selectAll().where('code', '=', code).where('year', '=', year);
  if (lock) q = q.forUpdate();
  const r = await q.executeTakeFirst();
  return r ? toFramework(r) : undefined;
}

export async function listFrameworks(db: Executor<KpiDb>, year?: number): Promise<StoredFramework[]> {
  let q = db.selectFrom('frameworks').selectAll().orderBy('year', 'desc').orderBy('code');
  if (year !== undefined) q = q.where('year', '=', year);
  return (await q.execute()).map(toFramework);
}

/** Adds a framework; false when one with its code and year exists. */
export async function insertFramework(
  tx: Executor<KpiDb>,
  f: { code: string; year: number; name: string; areas: FrameworkNode[] },
  by: string,
): Promise<boolean> {
  const r = await tx
    .insertInto('frameworks')
    .values({
      code: f.code,
      year: f.year,
      name: f.name,
      definition: JSON.stringify({ areas: f.areas }),
      updated_by: by,
    })
    .onConflict((oc) => oc.columns(['code', 'year']).doNothing())
    .returning('code')
    .executeTakeFirst();
  return r !== undefined;
}

export async function replaceFramework(
  tx: Executor<KpiDb>,
  f: { code: string; year: number; name: string; areas: FrameworkNode[] },
  by: string,
): Promise<number> {
  const r = await tx
    .updateTable('frameworks')
    .set({
      name: f.name,
      definition: JSON.stringify({ areas: f.areas }),
      version: sql`version + 1`,
      updated_by: by,
      updated_at: sql`now()`,
    })
    .where('code', '=', f.code)
    .where('year', '=', f.year)
    .returning('version')
    .executeTakeFirstOrThrow();
  return r.version;
}

export interface ScoreRow extends ManualScore {
  criterion: string;
  stage: 'self' | 'appraisal';
}

export async function scoresOf(
  db: Executor<KpiDb>,
  code: string,
  year: number,
  agencyCode: string,
): Promise<ScoreRow[]> {
  const rows = await db
    .selectFrom('framework_scores')
    .selectAll()
    .where('framework_code', '=', code)
    .where('year', '=', year)
    .where('agency_code', '=', agencyCode)
    .execute();
  return rows.map((r) => ({
    criterion: r.criterion,
    stage: r.stage,
    points: toCents(r.points),
    comment: r.comment,
    evidence: r.evidence,
    assessor: r.assessor,
    assessorName: r.assessor_name,
    enteredAt: r.entered_at.toISOString(),
  }));
}

/** Every manual score of a framework, over all agencies (checked when its tree changes). */
export async function allScores(
  db: Executor<KpiDb>,
  code: string,
  year: number,
): Promise<{ agencyCode: string; criterion: string; points: Cents }[]> {
  const rows = await db
    .selectFrom('framework_scores')
    .select(['agency_code', 'criterion', 'points'])
    .where('framework_code', '=', code)
    .where('year', '=', year)
    .execute();
  return rows.map((r) => ({ agencyCode: r.agency_code, criterion: r.criterion, points: toCents(r.points) }));
}

/** Records a manual score (a new entry replaces the stage's previous one; the trail keeps both). */
export async function upsertScore(
  tx: Executor<KpiDb>,
  s: {
    code: string;
    year: number;
    agencyCode: string;
    criterion: string;
    stage: 'self' | 'appraisal';
    points: Cents;
    comment: string | null;
    evidence: unknown;
    assessor: string;
    assessorName: string | null;
    at: Date;
  },
): Promise<void> {
  const values = {
    points: (s.points / 100).toFixed(2),
    comment: s.comment,
    evidence: JSON.stringify(s.evidence),
    assessor: s.assessor,
    assessor_name: s.assessorName,
    entered_at: s.at,
  };
  await tx
    .insertInto('framework_scores')
    .values({
      framework_code: s.code,
      year: s.year,
      agency_code: s.agencyCode,
      criterion: s.criterion,
      stage: s.stage,
      ...values,
    })
    .onConflict((oc) =>
      oc.columns(['framework_code', 'year', 'agency_code', 'criterion', 'stage']).doUpdateSet(values),
    )
    .execute();
}

export interface PublishedRow {
  result: unknown;
  publishedBy: string;
  publishedAt: Date;
}

export async function publishedResult(
  db: Executor<KpiDb>,
  code: string,
  year: number,
  agencyCode: string,
): Promise<PublishedRow | undefined> {
  const r = await db
    .selectFrom('framework_results')
    .select(['result', 'published_by', 'published_at'])
    .where('framework_code', '=', code)
    .where('year', '=', year)
    .where('agency_code', '=', agencyCode)
    .executeTakeFirst();
  return r ? { result: r.result, publishedBy: r.published_by, publishedAt: r.published_at } : undefined;
}

export async function anyPublished(db: Executor<KpiDb>, code: string, year: number): Promise<boolean> {
  const r = await db
    .selectFrom('framework_results')
    .select('agency_code')
    .where('framework_code', '=', code)
    .where('year', '=', year)
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}

/** Stores a published result; false when one is already published (a result is published once). */
export async function insertResult(
  tx: Executor<KpiDb>,
  r: { code: string; year: number; agencyCode: string; total: number; result: unknown; by: string; at: Date },
): Promise<boolean> {
  const row = await tx
    .insertInto('framework_results')
    .values({
      framework_code: r.code,
      year: r.year,
      agency_code: r.agencyCode,
      total: r.total.toFixed(2),
      result: JSON.stringify(r.result),
      published_by: r.by,
      published_at: r.at,
    })
    .onConflict((oc) => oc.columns(['framework_code', 'year', 'agency_code']).doNothing())
    .returning('agency_code')
    .executeTakeFirst();
  return row !== undefined;
}
