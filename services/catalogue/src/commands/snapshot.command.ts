import type { JobResult } from '@tthc/contracts';
import type { Executor } from '@tthc/db';
import { findProcedure, listHistory, listVersions } from '../db/procedure.repository';
import type { CatalogueDb } from '../db/schema';
import { publishedPayload } from './procedure.command';

/**
 * A procedure as the catalogue holds it now, in the shapes its events carry: every published
 * version, and each status change with its effective date. Answers the services whose copy
 * from the events has not arrived yet.
 */
export async function procedureSnapshot(
  db: Executor<CatalogueDb>,
  code: string,
): Promise<JobResult<'catalogue.procedure-snapshot'>> {
  const p = await findProcedure(db, code);
  if (!p) return { code, found: false, versions: [], statuses: [] };
  const versions = (await listVersions(db, p.id)).filter(
    (v) => v.state === 'published' && v.valid_from !== null,
  );
  const history = await listHistory(db, p.id);
  return {
    code,
    found: true,
    versions: await Promise.all(versions.map((v) => publishedPayload(db, p, v))),
    statuses: history
      .filter((h) => h.effective_from !== null && h.status_after !== 'draft')
      .map((h) => ({
        status: h.status_after as 'published' | 'suspended' | 'abolished',
        effectiveFrom: h.effective_from!,
      })),
  };
}
