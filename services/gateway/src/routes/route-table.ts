import type { Config } from '../config';

export type UpstreamName = 'catalogue' | 'intake' | 'kpi' | 'reports';

/** Which service owns each public path prefix. A path outside the table is a 404 at the gateway. */
export const routeTable: readonly { prefix: string; upstream: UpstreamName }[] = [
  { prefix: '/v1/fields', upstream: 'catalogue' },
  { prefix: '/v1/procedures', upstream: 'catalogue' },
  { prefix: '/v1/agencies', upstream: 'catalogue' },
  { prefix: '/v1/national-catalogue', upstream: 'catalogue' },
  { prefix: '/v1/dossiers', upstream: 'intake' },
  { prefix: '/v1/tracking', upstream: 'intake' },
  { prefix: '/v1/calendar', upstream: 'intake' },
  { prefix: '/v1/rule-sets', upstream: 'intake' },
  { prefix: '/v1/feedback', upstream: 'intake' },
  { prefix: '/v1/notifications', upstream: 'intake' },
  { prefix: '/v1/audit', upstream: 'intake' },
  { prefix: '/v1/national-sync', upstream: 'intake' },
  { prefix: '/v1/kpi', upstream: 'kpi' },
  { prefix: '/v1/reports', upstream: 'reports' },
];

/** The service that owns a path, if any. */
export function upstreamOf(path: string): UpstreamName | undefined {
  return routeTable.find(({ prefix }) => path === prefix || path.startsWith(`${prefix}/`))?.upstream;
}

export function upstreamUrls(
  config: Pick<Config, 'CATALOGUE_URL' | 'INTAKE_URL' | 'KPI_URL' | 'REPORTS_URL'>,
) {
  return {
    catalogue: config.CATALOGUE_URL,
    intake: config.INTAKE_URL,
    kpi: config.KPI_URL,
    reports: config.REPORTS_URL,
  } satisfies Record<UpstreamName, string>;
}
