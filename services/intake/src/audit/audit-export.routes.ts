import {
  ADMIN_ONLY,
  errorResponses,
  EXPORT_CONTENT_TYPES,
  ExportQuery,
  exportRange,
  exportResponse,
  exportStream,
  type ServiceApp,
} from '@tthc/service-kit';
import type { AppDeps } from '../deps';
import { personalDataAccessPage, trailPage } from '../db/audit-export.repository';

const TRAIL_COLUMNS = [
  'dossier_code',
  'version',
  'action',
  'from_status',
  'to_status',
  'actor',
  'actor_name',
  'actor_role',
  'actor_agency',
  'at',
  'payload',
] as const;
const ACCESS_COLUMNS = [
  'at',
  'actor',
  'actor_role',
  'actor_agency',
  'client_address',
  'dossier_code',
  'feedback_id',
  'purpose',
] as const;

/**
 * Administrators export the dossiers' audit trail and the personal-data access log of a date
 * range, streamed page by page as CSV or JSON lines (for administrators only).
 */
export function auditExportRoutes(app: ServiceApp, deps: AppDeps): void {
  const exportRoute = (
    path: string,
    operationId: string,
    summary: string,
    columns: readonly string[],
    page: typeof trailPage | typeof personalDataAccessPage,
    name: string,
  ) =>
    app.get(
      path,
      {
        schema: {
          'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
          operationId,
          tags: ['audit'],
          summary,
          querystring: ExportQuery,
          response: {
            200: exportResponse(columns),
            ...errorResponses(400, 401, 403),
          },
        },
      },
      async (request, reply) => {
        const { format } = request.query;
        const range = exportRange(request.query);
        const stream = exportStream<string>(columns, format, async (after, limit) => {
          const rows = await page(deps.db, range, after, limit);
          const last = rows.at(-1);
          return { rows, last: last ? String(last.id) : null };
        });
        return reply
          .type(EXPORT_CONTENT_TYPES[format])
          .header(
            'content-disposition',
            `attachment; filename="${name}-${request.query.from}-${request.query.to}.${format}"`,
          )
          .send(stream);
      },
    );

  exportRoute(
    '/v1/audit/dossier-trail',
    'exportDossierTrail',
    'Export the audit trail of every dossier (who, when, what) for a date range, as CSV or JSON lines',
    TRAIL_COLUMNS,
    trailPage,
    'nhat-ky-ho-so',
  );
  exportRoute(
    '/v1/audit/personal-data-access',
    'exportPersonalDataAccess',
    'Export the personal-data access log (who read whose contact details, from where, why) for a date range',
    ACCESS_COLUMNS,
    personalDataAccessPage,
    'nhat-ky-truy-cap-du-lieu-ca-nhan',
  );
}
