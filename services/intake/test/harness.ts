import type { ServiceApp } from '@tthc/service-kit';
import type { LightMyRequestResponse } from 'fastify';
import { identityHeaders, openTestResources, TEST_INTERNAL_SECRET, type TestResources } from '@tthc/testkit';
import { buildApp } from '../src/app';
import { CalendarProvider } from '../src/calendar/calendar.cache';
import { ProcedureCache } from '../src/commands/procedure-cache';
import { addProcedureStatus, upsertProcedureVersion } from '../src/db/procedure.repository';
import { SCHEMA, type IntakeDb } from '../src/db/schema';

export interface Harness {
  t: TestResources<IntakeDb>;
  app: ServiceApp;
  headers: Record<string, string>;
  /** The app's copy of the catalogue in memory (a test that writes the copy directly drops it). */
  procedures: ProcedureCache;
  setNow: (iso: string) => void;
  now: () => Date;
  close: () => Promise<void>;
  /** Calls a route as the desk officer, with an optional If-Match. */
  call: (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    payload?: unknown,
    extra?: Record<string, string>,
  ) => Promise<LightMyRequestResponse>;
}

export const PROCEDURE = '1.004579';
export const COMPONENTS = [
  {
    case: null,
    name: 'Đơn đề nghị cấp chứng chỉ hành nghề dược',
    originals: 1,
    copies: 0,
    formTemplate: 'Mẫu số 02',
  },
  { case: null, name: 'Bản sao văn bằng chuyên môn', originals: 0, copies: 1, formTemplate: null },
  {
    case: 'Trường hợp cấp lại do bị mất',
    name: 'Văn bản đề nghị cấp lại',
    originals: 1,
    copies: 0,
    formTemplate: null,
  },
];

/** The intake app on its own database, holding one published procedure, with a clock the test moves. */
export async function startIntake(now = '2026-11-23T02:00:00Z'): Promise<Harness> {
  const t = await openTestResources<IntakeDb>(SCHEMA);
  let current = new Date(now);
  const procedures = new ProcedureCache();
  const app = await buildApp({
    config: { INTERNAL_AUTH_SECRET: TEST_INTERNAL_SECRET },
    logger: t.logger,
    db: t.db,
    redis: t.redis,
    queuePrefix: t.bus.prefix,
    clock: () => current,
    calendars: new CalendarProvider(),
    procedures,
    slips: {
      provinceName: 'Quảng Nam',
      deskName: 'Trung tâm Phục vụ hành chính công',
      portalName: 'Cổng Dịch vụ công',
    },
  });
  await upsertProcedureVersion(t.db, {
    code: PROCEDURE,
    procedure_id: '3e5d1a2b-7c4f-4e8a-9b6d-0f1e2d3c4b5a',
    version: 1,
    name: 'Cấp chứng chỉ hành nghề dược',
    field_code: 'DUOC_PHAM',
    deciding_agency_code: '000.00.17.H55',
    receiving_agency_code: '000.20.17.H55',
    online_level: 'full',
    methods: JSON.stringify([
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
      {
        channel: 'postal',
        processingTime: { value: 15, unit: 'working_days' },
        fees: [{ name: 'Phí thẩm định', amount: 500000 }],
        note: null,
      },
    ]),
    components: JSON.stringify(COMPONENTS),
    inter_agency: null,
    fee_bearing: true,
    valid_from: '2025-01-01',
  });
  await addProcedureStatus(t.db, {
    code: PROCEDURE,
    effective_from: '2025-01-01',
    status: 'published',
    event_version: 2,
  });
  // A desk officer who holds every other role too, so these tests exercise the service's rules
  // rather than who may call what (each route's x-access; tests/e2e/roles-matrix.test.ts).
  const headers = await identityHeaders({
    sub: 'officer-1',
    kind: 'officer',
    roles: ['desk_officer', 'processing_officer', 'leader', 'portal', 'admin'],
    agencyCode: '000.20.17.H55',
  });
  return {
    t,
    app,
    headers,
    procedures,
    setNow: (iso) => {
      current = new Date(iso);
    },
    now: () => current,
    call: (method, url, payload, extra = {}) =>
      app.inject({
        method,
        url,
        headers: { ...headers, ...extra },
        ...(payload === undefined ? {} : { payload: payload as object }),
      }),
    close: async () => {
      procedures.close();
      await app.close();
      await t.close();
    },
  };
}

export const applicant = {
  kind: 'person',
  fullName: 'Nguyễn Văn An',
  idNumber: '001085012345',
  phone: '0912345678',
  address: '12 Lê Lợi, Huế',
};
export const components = [
  { name: 'Đơn đề nghị cấp chứng chỉ hành nghề dược', digitized: true },
  { name: 'Bản sao văn bằng chuyên môn', reused: true },
];
export const desk = (extra: Record<string, unknown> = {}) => ({
  procedureCode: PROCEDURE,
  source: 'desk',
  channel: 'direct',
  applicant,
  components,
  ...extra,
});

/** Runs an action with the dossier's current ETag; returns the response. */
export async function act(h: Harness, code: string, path: string, body: unknown = {}) {
  const current = await h.call('GET', `/v1/dossiers/${code}`);
  return h.call('POST', `/v1/dossiers/${code}/${path}`, body, { 'if-match': current.headers.etag as string });
}
