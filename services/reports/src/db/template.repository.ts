import type { Executor } from '@tthc/db';
import type { Selectable } from 'kysely';
import type { ReportsDb, ReportTemplateTable } from './schema';

export type TemplateRow = Selectable<ReportTemplateTable>;

/** The province's template: used by agencies without their own. */
export const PROVINCE_SCOPE = '*';

export async function saveTemplate(db: Executor<ReportsDb>, row: TemplateRow): Promise<TemplateRow> {
  return db
    .insertInto('report_templates')
    .values(row)
    .onConflict((oc) =>
      oc.column('scope').doUpdateSet({
        content: row.content,
        sha256: row.sha256,
        placeholders: row.placeholders,
        uploaded_by: row.uploaded_by,
        uploaded_at: row.uploaded_at,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The template a report of an agency is rendered with: its own, else the province's, else none. */
export async function templateFor(
  db: Executor<ReportsDb>,
  agencyCode: string | null,
): Promise<TemplateRow | undefined> {
  const scopes = agencyCode ? [agencyCode, PROVINCE_SCOPE] : [PROVINCE_SCOPE];
  const rows = await db.selectFrom('report_templates').selectAll().where('scope', 'in', scopes).execute();
  return rows.find((r) => r.scope === agencyCode) ?? rows.find((r) => r.scope === PROVINCE_SCOPE);
}
