import type { Executor } from '@tthc/db';
import { sql } from 'kysely';
import type { KpiDb } from './schema';

export interface RuleSetRow {
  definition: unknown;
  created_by: string;
  created_at: Date;
}

export async function listRuleSets(db: Executor<KpiDb>): Promise<RuleSetRow[]> {
  const { rows } =
    await sql<RuleSetRow>`select definition, created_by, created_at from indicator_rule_sets order by effective_from`.execute(
      db,
    );
  return rows;
}

/** Adds a rule set; false when one with its id or effective date exists (rule sets are never edited). */
export async function insertRuleSet(
  db: Executor<KpiDb>,
  r: {
    id: string;
    name: string;
    legalBasis: string;
    effectiveFrom: string;
    definition: unknown;
    createdBy: string;
  },
): Promise<boolean> {
  const { rows } = await sql<{ id: string }>`
    insert into indicator_rule_sets (id, name, legal_basis, effective_from, definition, created_by)
    values (${r.id}, ${r.name}, ${r.legalBasis}, ${r.effectiveFrom}::date, ${JSON.stringify(r.definition)}::jsonb, ${r.createdBy})
    on conflict do nothing returning id`.execute(db);
  return rows.length > 0;
}
