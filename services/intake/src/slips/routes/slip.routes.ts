import type { Db } from '@tthc/db';
import {
  errorResponses,
  fileAnswer,
  OFFICERS,
  routeAccess,
  scopeOf,
  seesPersonalData,
  type ServiceApp,
} from '@tthc/service-kit';
import { logPersonalDataAccess } from '../../db/access.repository';
import { z } from 'zod';
import { AGENCY_CODES_ONLY, type AgencyNames } from '../../agencies';
import { readDossier } from '../../commands/dossier-read.command';
import type { IntakeDb } from '../../db/schema';
import { slipData, type SlipSettings } from '../commands/slip-data.command';
import { renderSlip } from '../pdf/render';

const KINDS = {
  '01': 'receipt',
  '02': 'supplement_request',
  '03': 'refusal',
  '04': 'apology',
  '05': 'control_sheet',
} as const;

/** What printing a slip needs: the dossier's data, the time, and what the slips say of the desk. */
export interface SlipDeps {
  db: Db<IntakeDb>;
  clock: () => Date;
  slips: SlipSettings;
  agencies?: AgencyNames | undefined;
}

export function slipRoutes(app: ServiceApp, deps: SlipDeps): void {
  app.get(
    '/v1/dossiers/:code/slips/:form',
    {
      schema: {
        'x-access': { roles: OFFICERS, agencyScoped: true, personalData: OFFICERS },
        operationId: 'printDossierSlip',
        tags: ['dossiers'],
        summary:
          'Print a slip (A5 PDF): 01 receipt with due date, 02 supplement request, 03 refusal, 04 apology, 05 process control sheet (01, 04 and 05 with a QR code of the tracking link)',
        params: z.object({ code: z.string().max(80), form: z.enum(['01', '02', '03', '04', '05']) }),
        response: {
          200: fileAnswer('The slip: an A5 PDF, to print or to send to the applicant', ['application/pdf']),
          ...errorResponses(403, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const kind = KINDS[request.params.form];
      const dossier = await readDossier(deps.db, scopeOf(request.identity), request.params.code);
      if (seesPersonalData(routeAccess(request), request.identity))
        await logPersonalDataAccess(
          deps.db,
          request.identity,
          { dossier_id: dossier.d.id },
          `print slip ${request.params.form}`,
        );
      const data = await slipData(
        deps.db,
        dossier,
        kind,
        deps.slips,
        deps.agencies ?? AGENCY_CODES_ONLY,
        deps.clock(),
      );
      const pdf = await renderSlip(data);
      return reply
        .type('application/pdf')
        .header(
          'content-disposition',
          `inline; filename="${request.params.code}-mau-${request.params.form}.pdf"`,
        )
        .send(pdf);
    },
  );
}
