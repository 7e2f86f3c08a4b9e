import type { JobResult } from '@tthc/contracts';
import type { Executor } from '@tthc/db';
import { listAgencies } from '../db/agency.repository';
import type { CatalogueDb } from '../db/schema';

/** The agency directory, for the services that print agencies by name. */
export async function agencyDirectory(
  db: Executor<CatalogueDb>,
): Promise<JobResult<'catalogue.agency-directory'>> {
  const rows = await listAgencies(db);
  return {
    agencies: rows.map((a) => ({ code: a.code, name: a.name, parentCode: a.parent_code, kind: a.kind })),
  };
}
