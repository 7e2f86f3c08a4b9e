import type { CatalogueStatistics } from '@tthc/contracts';
import { listFields } from '../db/field.repository';
import { changesInPeriod, countAtOneStopDesks, countByFieldLevelStatus } from '../db/procedure.repository';
import type { AppDeps } from '../deps';
import { computeStatistics } from '../domain/statistics';
import { filterFrom } from '../routes/procedure.routes';

/**
 * The catalogue's figures for a reporting agency on a date (and the changes since `from`), for
 * the statistics route and the reports service's job alike.
 */
export async function catalogueStatistics(
  deps: Pick<AppDeps, 'db' | 'workingDaysBetween'>,
  q: { agencyCode?: string | undefined; asOf: string; from?: string | undefined },
): Promise<CatalogueStatistics> {
  const filter = await filterFrom(deps, { agencyCode: q.agencyCode }, q.asOf);
  const counts = await countByFieldLevelStatus(deps.db, filter);
  const changes = q.from
    ? await changesInPeriod(deps.db, { from: q.from, to: q.asOf, agencyCodes: filter.agencyCodes })
    : [];
  const names = new Map((await listFields(deps.db)).map((f) => [f.code, f.name]));
  const atDesks = await countAtOneStopDesks(deps.db, filter);
  const desks = new Map<
    string,
    { agencyCode: string; name: string; kind: 'service_center' | 'people_committee'; count: number }
  >();
  const deskFields = new Map<string, number>();
  for (const r of atDesks) {
    const d = desks.get(r.agency_code) ?? { agencyCode: r.agency_code, name: r.name, kind: r.kind, count: 0 };
    d.count += r.n;
    desks.set(r.agency_code, d);
    deskFields.set(r.field_code, (deskFields.get(r.field_code) ?? 0) + r.n);
  }
  return {
    agencyCode: q.agencyCode ?? null,
    asOf: q.asOf,
    period: q.from ? { from: q.from, to: q.asOf } : null,
    byField: counts.map((c) => ({
      fieldCode: c.field_code,
      fieldName: names.get(c.field_code) ?? c.field_code,
      onlineLevel: c.online_level as 'full' | 'partial' | 'none',
      legacyLevel: c.legacy_level,
      status: c.status,
      count: c.n,
    })),
    ...computeStatistics({ counts, changes, workingDaysBetween: deps.workingDaysBetween }),
    oneStopDesk: {
      total: atDesks.reduce((n, r) => n + r.n, 0),
      desks: [...desks.values()],
      byField: [...deskFields.entries()].map(([fieldCode, count]) => ({
        fieldCode,
        fieldName: names.get(fieldCode) ?? fieldCode,
        count,
      })),
    },
  };
}
