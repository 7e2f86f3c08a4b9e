import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';

/**
 * Procedure content gains `onlinePayment` (fees can be paid online), false unless a record says
 * so. Versions stored before it get the field written in, and their content hash recomputed, so
 * a re-import of an unchanged record still finds it unchanged. The hash is the one of
 * domain/procedure.ts contentHash as it stands here (sorted keys, SHA-256), copied so that this
 * migration keeps doing what it did when the domain code moves on.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const rows = await sql<{ procedure_id: string; version: number; content: Record<string, unknown> }>`
    select procedure_id, version, content from procedure_versions where not (content ? 'onlinePayment')`.execute(
    db,
  );
  for (const r of rows.rows) {
    const content = { ...r.content, onlinePayment: false };
    await sql`update procedure_versions set content = ${JSON.stringify(content)}::jsonb, content_hash = ${hashOf(content)}
      where procedure_id = ${r.procedure_id} and version = ${r.version}`.execute(db);
  }
}

export async function down(): Promise<void> {
  // The field is harmless to older code, which ignores it; nothing to undo.
}

function hashOf(content: unknown): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v as Record<string, unknown>)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([k, x]) => [k, canonical(x)]),
          )
        : v;
  return createHash('sha256')
    .update(JSON.stringify(canonical(content)))
    .digest('hex');
}
