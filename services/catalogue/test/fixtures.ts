import { identityHeaders, openTestResources, TEST_INTERNAL_SECRET, type TestResources } from '@tthc/testkit';
import type { ServiceApp } from '@tthc/service-kit';
import { buildApp } from '../src/app';
import { ReadCache } from '../src/cache/read-cache';
import { SCHEMA, type CatalogueDb } from '../src/db/schema';
import { workingDaysBetweenFactory } from '../src/working-days';

export interface Harness {
  t: TestResources<CatalogueDb>;
  app: ServiceApp;
  headers: Record<string, string>;
  setNow: (iso: string) => void;
  /** The app's cache of published reads (writes outside a request, like a pull, must empty it). */
  readCache: ReadCache;
  close: () => Promise<void>;
}

/** The catalogue app on a database of its own, with a clock the test moves. */
export async function startCatalogue(now = '2026-06-01T02:00:00Z'): Promise<Harness> {
  const t = await openTestResources<CatalogueDb>(SCHEMA);
  let current = new Date(now);
  const readCache = new ReadCache({ logger: t.logger });
  const app = await buildApp({
    readCache,
    config: { INTERNAL_AUTH_SECRET: TEST_INTERNAL_SECRET },
    logger: t.logger,
    db: t.db,
    redis: t.redis,
    clock: () => current,
    workingDaysBetween: workingDaysBetweenFactory(),
    onEventsWritten: () => undefined,
  });
  return {
    t,
    app,
    headers: await identityHeaders({ sub: 'officer-1', kind: 'officer', roles: ['admin'], agencyCode: null }),
    readCache,
    setNow: (iso) => {
      current = new Date(iso);
    },
    close: async () => {
      await app.close();
      await t.close();
    },
  };
}

export const AGENCIES = [
  { code: '000.00.00.H55', name: 'UBND tỉnh', parentCode: null, level: 'province', kind: 'people_committee' },
  {
    code: '000.00.17.H55',
    name: 'Sở Y tế',
    parentCode: '000.00.00.H55',
    level: 'province',
    kind: 'department',
  },
  {
    code: '000.01.17.H55',
    name: 'Chi cục An toàn vệ sinh thực phẩm',
    parentCode: '000.00.17.H55',
    level: 'province',
    kind: 'sub_department',
  },
  {
    code: '000.20.17.H55',
    name: 'Trung tâm Phục vụ hành chính công',
    parentCode: '000.00.00.H55',
    level: 'province',
    kind: 'service_center',
  },
];

export const FIELDS = [
  { code: 'DUOC_PHAM', name: 'Dược phẩm' },
  { code: 'ATTP', name: 'An toàn thực phẩm và dinh dưỡng' },
  { code: 'KHAM_CHUA_BENH', name: 'Khám bệnh, chữa bệnh' },
];

/** A complete, valid procedure record; each test overrides what matters to it. */
export function procedure(code: string, overrides: Record<string, unknown> = {}) {
  return {
    code,
    name: `Thủ tục ${code}`,
    fieldCode: 'DUOC_PHAM',
    decidingAgencyCode: '000.00.17.H55',
    receivingAgencyCode: '000.20.17.H55',
    authorityLevel: 'province',
    steps: ['Bước 1: Nộp hồ sơ', 'Bước 2: Thẩm định', 'Bước 3: Trả kết quả'],
    methods: [
      {
        channel: 'direct',
        processingTime: { value: 15, unit: 'working_days' },
        fees: [{ name: 'Phí thẩm định', amount: 500000 }],
        note: null,
      },
      {
        channel: 'online',
        processingTime: { value: 15, unit: 'working_days' },
        fees: [{ name: 'Phí thẩm định', amount: 500000 }],
        note: null,
      },
    ],
    components: [{ case: null, name: 'Đơn đề nghị', originals: 1, copies: 0, formTemplate: 'Mẫu 01' }],
    conditions: [],
    result: { name: 'Giấy chứng nhận', isPaperDocument: true },
    applicantTypes: ['person', 'organisation'],
    legalBasis: [
      { number: '105/2016/QH13', title: 'Luật Dược', issuedOn: '2016-04-06', effectiveFrom: '2017-01-01' },
    ],
    interAgency: null,
    onlineLevel: 'partial',
    legacyLevel: 3,
    ...overrides,
  };
}

export const decision = (
  number: string,
  signedOn: string,
  effectiveFrom: string,
  nationalPublishedOn: string | null = null,
) => ({
  decisionNumber: number,
  signedOn,
  effectiveFrom,
  nationalPublishedOn,
});

export async function seedReferenceData(h: Harness): Promise<void> {
  for (const f of FIELDS)
    await h.app.inject({ method: 'POST', url: '/v1/fields', headers: h.headers, payload: f });
  for (const a of AGENCIES) {
    const res = await h.app.inject({ method: 'POST', url: '/v1/agencies', headers: h.headers, payload: a });
    if (res.statusCode !== 201) throw new Error(res.body);
  }
}

/** Creates and publishes a procedure; returns its ETag. */
export async function createPublished(
  h: Harness,
  body: Record<string, unknown>,
  d = decision('10/QĐ-UBND', '2026-01-05', '2026-01-10'),
) {
  const created = await h.app.inject({
    method: 'POST',
    url: '/v1/procedures',
    headers: h.headers,
    payload: body,
  });
  if (created.statusCode !== 201) throw new Error(created.body);
  const published = await h.app.inject({
    method: 'POST',
    url: `/v1/procedures/${String(body['code'])}/publish`,
    headers: { ...h.headers, 'if-match': created.headers.etag as string },
    payload: d,
  });
  if (published.statusCode !== 200) throw new Error(published.body);
  return published.headers.etag as string;
}
