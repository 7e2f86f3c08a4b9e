import { JobRequester } from '@tthc/bus';
import type { ServiceApp } from '@tthc/service-kit';
import { identityHeaders, openTestResources, TEST_INTERNAL_SECRET, type TestResources } from '@tthc/testkit';
import type { Worker } from 'bullmq';
import * as catalogue from '../../services/catalogue/src/app';
import { workingDaysBetweenFactory } from '../../services/catalogue/src/working-days';
import { startCatalogueJobsWorker } from '../../services/catalogue/src/workers/catalogue-jobs.worker';
import * as intake from '../../services/intake/src/app';
import { CalendarProvider } from '../../services/intake/src/calendar/calendar.cache';

/**
 * A procedure receives dossiers as soon as its publication has been answered: the intake, whose
 * copy from the procedure.* events has not arrived (no relay runs here, so it never will), asks
 * the catalogue over its jobs queue.
 */
let t: TestResources<unknown>;
let cat: ServiceApp;
let answers: Worker;
let questions: JobRequester;
const now = new Date('2026-11-23T02:00:00Z');
const headers: Record<string, string> = {};

async function intakeApp(withCatalogue: boolean): Promise<ServiceApp> {
  return intake.buildApp({
    config: { INTERNAL_AUTH_SECRET: TEST_INTERNAL_SECRET },
    logger: t.logger,
    db: t.dbFor<any>('intake'),
    redis: t.redis,
    queuePrefix: t.bus.prefix,
    clock: () => now,
    calendars: new CalendarProvider(),
    ...(withCatalogue
      ? {
          catalogue: {
            snapshot: (code: string) => questions.ask('catalogue.procedure-snapshot', { code }, 3000),
          },
        }
      : {}),
    slips: {
      provinceName: 'Quảng Nam',
      deskName: 'Trung tâm Phục vụ hành chính công',
      portalName: 'Cổng Dịch vụ công',
    },
  });
}

beforeAll(async () => {
  t = await openTestResources<unknown>('catalogue');
  const catDb = t.dbFor<any>('catalogue');
  cat = await catalogue.buildApp({
    config: { INTERNAL_AUTH_SECRET: TEST_INTERNAL_SECRET },
    logger: t.logger,
    db: catDb,
    redis: t.redis,
    clock: () => now,
    workingDaysBetween: workingDaysBetweenFactory(),
    onEventsWritten: () => undefined,
  });
  answers = startCatalogueJobsWorker({ db: catDb, bus: t.bus, logger: t.logger });
  questions = new JobRequester(t.bus);
  Object.assign(
    headers,
    await identityHeaders({ sub: 'admin-1', kind: 'officer', roles: ['admin'], agencyCode: null }),
  );
  const post = (url: string, payload: object, extra: Record<string, string> = {}) =>
    cat.inject({ method: 'POST', url, headers: { ...headers, ...extra }, payload });
  await post('/v1/fields', { code: 'DUOC_PHAM', name: 'Dược phẩm' });
  await post('/v1/agencies', {
    code: '000.00.17.H55',
    name: 'Sở Y tế',
    parentCode: null,
    level: 'province',
    kind: 'department',
  });
  const created = await post('/v1/procedures', {
    code: '1.100700',
    name: 'Cấp giấy chứng nhận đủ điều kiện kinh doanh dược',
    fieldCode: 'DUOC_PHAM',
    decidingAgencyCode: '000.00.17.H55',
    receivingAgencyCode: '000.00.17.H55',
    authorityLevel: 'province',
    steps: ['Nộp hồ sơ'],
    methods: [
      {
        channel: 'direct',
        processingTime: { value: 20, unit: 'working_days' },
        fees: [{ name: 'Phí thẩm định', amount: 1000000 }],
        note: null,
      },
    ],
    components: [],
    conditions: [],
    result: { name: 'Giấy chứng nhận', isPaperDocument: true },
    applicantTypes: ['organisation'],
    legalBasis: [
      { number: '105/2016/QH13', title: 'Luật Dược', issuedOn: '2016-04-06', effectiveFrom: '2017-01-01' },
    ],
    interAgency: null,
    onlineLevel: 'none',
    legacyLevel: 2,
  });
  expect(created.statusCode).toBe(201);
  const published = await post(
    '/v1/procedures/1.100700/publish',
    { decisionNumber: '15/QĐ-UBND', signedOn: '2026-11-20', effectiveFrom: '2026-11-23' },
    {
      'if-match': String(created.headers.etag),
    },
  );
  expect(published.statusCode).toBe(200);
});
afterAll(async () => {
  await questions.close();
  await answers.close();
  await cat.close();
  await t.close();
});

const dossier = {
  procedureCode: '1.100700',
  source: 'desk',
  channel: 'direct',
  applicant: { kind: 'organisation', fullName: 'Công ty Dược Hòa Bình', phone: '0236123456' },
};

describe('receiving right after publication', () => {
  it('refuses the procedure when the intake cannot ask the catalogue (the control)', async () => {
    const alone = await intakeApp(false);
    const res = await alone.inject({ method: 'POST', url: '/v1/dossiers', headers, payload: dossier });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('unknown_procedure');
    await alone.close();
  });

  it('asks the catalogue, copies the published version and receives the dossier', async () => {
    const app = await intakeApp(true);
    const res = await app.inject({ method: 'POST', url: '/v1/dossiers', headers, payload: dossier });
    expect(res.statusCode).toBe(201);
    // 20 working days from Mon 23/11/2026: Mon 21/12.
    expect(res.json()).toMatchObject({
      procedureVersion: 1,
      dueAt: '2026-12-21T10:00:00.000Z',
      feesDue: 1000000,
    });
    const copy = await t
      .dbFor<any>('intake')
      .selectFrom('procedure_versions')
      .selectAll()
      .where('code', '=', '1.100700')
      .execute();
    expect(copy).toEqual([
      expect.objectContaining({
        version: 1,
        legacy_level: 2,
        result_is_paper: true,
        authority_level: 'province',
      }),
    ]);
    await app.close();
  });
});
