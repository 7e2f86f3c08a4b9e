import { withTransaction } from '@tthc/db';
import { problems } from '@tthc/service-kit';
import { appendHistory, findDossierByCode, updateDossier, type DossierRow } from '../db/dossier.repository';
import { insertRating, listSteps } from '../db/facts.repository';
import { actorColumns, type IntakeContext } from './context';
import { dossierRef, emitDossierEvent } from './dossier-events';
import { requireDossierAction } from '../access';

/** One rating per dossier, once it has its result (domain.md: the applicant rates the handling after the result). */
export async function rateDossier(
  ctx: IntakeContext,
  code: string,
  input: { rating: 'satisfied' | 'normal' | 'not_satisfied'; comment?: string | undefined },
): Promise<DossierRow> {
  return withTransaction(ctx.db, async (tx) => {
    const d = await findDossierByCode(tx, code, true);
    if (!d) throw problems.notFound('dossier', `dossier ${code} not found`);
    requireDossierAction(ctx.actor.scope, d, await listSteps(tx, d.id), 'rate');
    if (d.status !== 'resolved' && d.status !== 'returned') {
      throw problems.conflict(
        'not_rateable',
        `dossier ${code} is ${d.status}: it can be rated once it has its result`,
        { currentStatus: d.status },
      );
    }
    const now = ctx.clock();
    if (
      !(await insertRating(tx, {
        dossier_id: d.id,
        rating: input.rating,
        comment: input.comment ?? null,
        rated_at: now,
      }))
    ) {
      throw problems.conflict('already_rated', `dossier ${code} is already rated`);
    }
    const updated = (await updateDossier(tx, d.id, d.version, {}))!;
    await appendHistory(tx, {
      dossier_id: d.id,
      dossier_version: updated.version,
      action: 'rate',
      from_status: d.status,
      to_status: d.status,
      ...actorColumns(ctx.actor),
      at: now,
      payload: JSON.stringify(input),
    });
    await emitDossierEvent(tx, ctx, updated, 'dossier.rated', {
      ...dossierRef(updated),
      rating: input.rating,
      ratedAt: now.toISOString(),
    });
    return updated;
  });
}
