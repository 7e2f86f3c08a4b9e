import type { Executor } from '@tthc/db';
import { problems, type AgencyScope } from '@tthc/service-kit';
import { requireDossierRead, type DossierAccess } from '../access';
import { findDossierByCode, type DossierRow } from '../db/dossier.repository';
import { listSteps, type StepRow } from '../db/facts.repository';
import type { IntakeDb } from '../db/schema';

/** A dossier the caller may read (404 when there is none, 403 outside its scope), with its steps. */
export async function readDossier(
  db: Executor<IntakeDb>,
  scope: AgencyScope,
  code: string,
): Promise<{ d: DossierRow; steps: StepRow[]; access: DossierAccess }> {
  const d = await findDossierByCode(db, code);
  if (!d) throw problems.notFound('dossier', `dossier ${code} not found`);
  const steps = await listSteps(db, d.id);
  return { d, steps, access: requireDossierRead(scope, d, steps) };
}
