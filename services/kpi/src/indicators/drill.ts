import type { Executor } from '@tthc/db';
import type { KpiDb } from '../db/schema';
import { drillDossiers, drillList, type DrillItem, type DrillPage } from '../figures/drill-down';
import type { Criterion, IndicatorContext } from './criterion';

type ProcedureMember = { code: string; version: number; name: string; detail?: string };

function procedureItem(p: ProcedureMember, day: string): DrillItem {
  return {
    code: p.code,
    key: `${p.code}#${String(p.version).padStart(6, '0')}`,
    kind: 'procedure',
    fact: p.detail ?? `${p.name}, version ${p.version}, in force on ${day}`,
    detail: { version: p.version, name: p.name },
  };
}

/** The members counted in a criterion's numerator or denominator: dossiers, procedures or feedback. */
export async function criterionMembers(
  db: Executor<KpiDb>,
  ctx: IndicatorContext,
  criterion: Criterion,
  part: 'numerator' | 'denominator',
  page: { cursor?: string | undefined; limit: number },
): Promise<DrillPage> {
  const members = criterion[part];
  switch (members.kind) {
    case 'dossiers':
      return drillDossiers(
        db,
        {
          scope: ctx.scope,
          span: ctx.period,
          measures: members.measures(ctx),
          cursor: page.cursor,
          limit: page.limit,
        },
        ctx.cal,
      );
    case 'procedures':
      return drillList(
        members.select(ctx).map((p) => procedureItem(p as ProcedureMember, ctx.period.to)),
        page.cursor,
        page.limit,
      );
    case 'feedback':
      return drillList(
        members
          .select(ctx)
          .map((f) => ({ code: f.code, kind: 'feedback' as const, fact: f.detail, detail: {} })),
        page.cursor,
        page.limit,
      );
    case 'none':
      return { items: [], nextCursor: null };
  }
}
