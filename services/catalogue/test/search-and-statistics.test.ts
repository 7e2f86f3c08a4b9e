import { JobProducer } from '@tthc/bus';
import { queues } from '@tthc/contracts';
import { QueueEvents } from 'bullmq';
import { startWorkers } from '../src/workers';
import {
  createPublished,
  decision,
  procedure,
  seedReferenceData,
  startCatalogue,
  type Harness,
} from './fixtures';

let h: Harness;
const get = (url: string) => h.app.inject({ method: 'GET', url, headers: h.headers });
const codes = (res: { json: () => { items: { code: string }[] } }) => res.json().items.map((p) => p.code);
const onlyMethod = (fee: number) => [
  {
    channel: 'direct',
    processingTime: { value: 10, unit: 'working_days' },
    fees: fee ? [{ name: 'Phí', amount: fee }] : [],
    note: null,
  },
];

/*
 * Hand-counted fixture (as of 2026-06-30, reporting agency Sở Y tế 000.00.17.H55):
 *   code      field           online   legacy  fee  complete  status on 30/6
 *   1.100001  DUOC_PHAM       full     4       yes  yes       published
 *   1.100002  DUOC_PHAM       partial  3       no   yes       published
 *   1.100003  DUOC_PHAM       none     none    yes  no(steps) published
 *   1.100004  ATTP (Chi cục)  full     4       no   yes       published
 *   1.100005  ATTP            none     2       no   yes       abolished from 2026-04-01
 *   1.100006  KHAM_CHUA_BENH  partial  3       yes  yes       published, but from 2026-07-01 (not yet in force)
 *   1.100007  KHAM_CHUA_BENH  full     4       no   yes       draft (never published)
 * Published on 30/6: 4 (001-004); online (full+partial) 3; fee-bearing 2 (001, 003); complete 3;
 * by legacy level: 3 → 1, 4 → 2, none → 1. All are received at the service centre's one-stop desk
 * (000.20.17.H55) except 1.100003, received at the department itself.
 */
beforeAll(async () => {
  h = await startCatalogue('2026-06-30T03:00:00Z');
  await seedReferenceData(h);
  const online = (level: string) => ({
    onlineLevel: level,
    legacyLevel: ({ full: 4, partial: 3, none: 2 } as Record<string, number>)[level],
    methods:
      level === 'none'
        ? onlyMethod(0)
        : [
            ...onlyMethod(0),
            { channel: 'online', processingTime: { value: 10, unit: 'working_days' }, fees: [], note: null },
          ],
  });
  const withFee = (level: string) => {
    const o = online(level);
    o.methods[0] = onlyMethod(300000)[0]!;
    return o;
  };
  await createPublished(
    h,
    procedure('1.100001', { name: 'Cấp chứng chỉ hành nghề dược', ...withFee('full') }),
    decision('10/QĐ-UBND', '2026-01-05', '2026-01-10', '2026-01-10'),
  );
  await createPublished(
    h,
    procedure('1.100002', { name: 'Đăng ký hoạt động cơ sở bán lẻ thuốc', ...online('partial') }),
    decision('10/QĐ-UBND', '2026-01-05', '2026-01-10', '2026-01-20'),
  );
  await createPublished(
    h,
    procedure('1.100003', {
      name: 'Điều chỉnh giấy phép lưu hành',
      ...withFee('none'),
      legacyLevel: null,
      steps: [],
      // Received at the department itself, not at the one-stop desk.
      receivingAgencyCode: '000.00.17.H55',
    }),
  );
  await createPublished(
    h,
    procedure('1.100004', {
      name: 'Cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm',
      fieldCode: 'ATTP',
      decidingAgencyCode: '000.01.17.H55',
      ...online('full'),
    }),
  );
  const etag5 = await createPublished(
    h,
    procedure('1.100005', {
      name: 'Xác nhận nội dung quảng cáo thực phẩm',
      fieldCode: 'ATTP',
      ...online('none'),
    }),
  );
  await h.app.inject({
    method: 'POST',
    url: '/v1/procedures/1.100005/abolish',
    headers: { ...h.headers, 'if-match': etag5 },
    payload: decision('90/QĐ-UBND', '2026-03-20', '2026-04-01'),
  });
  await createPublished(
    h,
    procedure('1.100006', {
      name: 'Cấp giấy phép hoạt động phòng khám',
      fieldCode: 'KHAM_CHUA_BENH',
      ...withFee('partial'),
    }),
    decision('120/QĐ-UBND', '2026-06-20', '2026-07-01'),
  );
  await h.app.inject({
    method: 'POST',
    url: '/v1/procedures',
    headers: h.headers,
    payload: procedure('1.100007', {
      name: 'Xét nghiệm theo yêu cầu',
      fieldCode: 'KHAM_CHUA_BENH',
      ...online('full'),
    }),
  });
});
afterAll(() => h.close());

describe('search', () => {
  it('finds without accents: duoc finds Dược, giay phep finds giấy phép', async () => {
    expect(codes(await get('/v1/procedures?q=duoc'))).toEqual(['1.100001']);
    expect(codes(await get(`/v1/procedures?q=${encodeURIComponent('giay phep')}&sort=code`))).toEqual([
      '1.100003',
    ]);
    expect(
      codes(await get(`/v1/procedures?q=${encodeURIComponent('GIẤY PHÉP')}&asOf=2026-07-01&sort=code`)),
    ).toEqual(['1.100003', '1.100006']);
  });

  it('finds by code', async () => {
    expect(codes(await get('/v1/procedures?q=100004'))).toEqual(['1.100004']);
  });

  it('sorts names in Vietnamese order: D before Đ before X', async () => {
    const names = (await get('/v1/procedures?status=published'))
      .json()
      .items.map((p: { name: string }) => p.name);
    expect(names).toEqual([
      'Cấp chứng chỉ hành nghề dược',
      'Cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm',
      'Đăng ký hoạt động cơ sở bán lẻ thuốc',
      'Điều chỉnh giấy phép lưu hành',
    ]);
  });

  it('filters by field, agency subtree, online level, status and fees', async () => {
    expect(codes(await get('/v1/procedures?fieldCode=ATTP&sort=code'))).toEqual(['1.100004', '1.100005']);
    expect(codes(await get('/v1/procedures?agencyCode=000.01.17.H55'))).toEqual(['1.100004']);
    expect(codes(await get('/v1/procedures?agencyCode=000.00.17.H55&status=published&sort=code'))).toEqual([
      '1.100001',
      '1.100002',
      '1.100003',
      '1.100004',
    ]);
    expect(codes(await get('/v1/procedures?onlineLevel=full&status=published&sort=code'))).toEqual([
      '1.100001',
      '1.100004',
    ]);
    expect(codes(await get('/v1/procedures?feeBearing=true&sort=code'))).toEqual(['1.100001', '1.100003']);
    expect(codes(await get('/v1/procedures?status=draft'))).toEqual(['1.100007']);
    expect(codes(await get('/v1/procedures?status=abolished'))).toEqual(['1.100005']);
  });

  it('filters by legacy level: one, several, or none for records without one', async () => {
    expect(codes(await get('/v1/procedures?legacyLevel=4&sort=code'))).toEqual([
      '1.100001',
      '1.100004',
      '1.100007',
    ]);
    expect(codes(await get('/v1/procedures?legacyLevel=3,4&status=published&sort=code'))).toEqual([
      '1.100001',
      '1.100002',
      '1.100004',
    ]);
    expect(codes(await get('/v1/procedures?legacyLevel=none&sort=code'))).toEqual(['1.100003']);
    expect(codes(await get('/v1/procedures?legacyLevel=2,none&sort=code'))).toEqual(['1.100003', '1.100005']);
    expect(
      (await get('/v1/procedures?legacyLevel=3&sort=code'))
        .json()
        .items.map((p: { legacyLevel: number }) => p.legacyLevel),
    ).toEqual([3]);
  });

  it('refuses a legacy level outside 1-4 with 400 naming the parameter', async () => {
    for (const bad of ['5', '3;4', 'mức 3', '']) {
      const res = await get(`/v1/procedures?legacyLevel=${encodeURIComponent(bad)}`);
      expect({ bad, status: res.statusCode }).toEqual({ bad, status: 400 });
      expect(res.json().errors).toEqual([expect.objectContaining({ in: 'query', pointer: '/legacyLevel' })]);
    }
  });

  it('pages by name with a cursor without repeating or skipping, and counts on request', async () => {
    const all = (await get('/v1/procedures?limit=200')).json().items.map((p: { code: string }) => p.code);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`/v1/procedures?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...codes(res));
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
    expect((await get('/v1/procedures?count=true&limit=1')).json().total).toBe(all.length);
  });

  it('answers an unreadable cursor with 400', async () => {
    expect((await get('/v1/procedures?cursor=bm9wZQ')).statusCode).toBe(400);
  });
});

describe('statistics', () => {
  it('counts by field, online level and status as of a date, against the hand count', async () => {
    const res = await get(
      '/v1/procedures/statistics?agencyCode=000.00.17.H55&date=2026-06-30&from=2026-01-01',
    );
    expect(res.statusCode).toBe(200);
    const s = res.json();
    expect(s.totals).toEqual({ draft: 1, published: 4, suspended: 0, abolished: 1 });
    expect(s.shares.online).toEqual({ count: 3, total: 4, rate: 0.75 });
    expect(s.shares.feeBearing).toEqual({ count: 2, total: 4, rate: 0.5 });
    expect(s.shares.completeContent).toEqual({ count: 3, total: 4, rate: 0.75 });
    const cell = (field: string, level: string, status: string) =>
      s.byField.find(
        (r: { fieldCode: string; onlineLevel: string; status: string }) =>
          r.fieldCode === field && r.onlineLevel === level && r.status === status,
      )?.count ?? 0;
    expect(cell('DUOC_PHAM', 'full', 'published')).toBe(1);
    expect(cell('DUOC_PHAM', 'none', 'published')).toBe(1);
    expect(cell('ATTP', 'none', 'abolished')).toBe(1);
    expect(cell('KHAM_CHUA_BENH', 'partial', 'published')).toBe(0);
    expect(
      s.changes.abolished.map((c: { code: string; decisionNumber: string }) => [c.code, c.decisionNumber]),
    ).toEqual([['1.100005', '90/QĐ-UBND']]);
    expect(s.changes.published).toHaveLength(5);
  });

  it('counts the procedures in force received at the one-stop desk, by desk and by field', async () => {
    const s = (await get('/v1/procedures/statistics?agencyCode=000.00.17.H55&date=2026-06-30')).json();
    expect(s.oneStopDesk).toEqual({
      total: 3,
      desks: [
        {
          agencyCode: '000.20.17.H55',
          name: 'Trung tâm Phục vụ hành chính công',
          kind: 'service_center',
          count: 3,
        },
      ],
      byField: [
        { fieldCode: 'ATTP', fieldName: expect.any(String), count: 1 },
        { fieldCode: 'DUOC_PHAM', fieldName: expect.any(String), count: 2 },
      ],
    });
    // On 1/7 the partial record 1.100006 comes into force at the desk; 1.100005 stays abolished.
    const july = (await get('/v1/procedures/statistics?agencyCode=000.00.17.H55&date=2026-07-01')).json();
    expect(july.oneStopDesk.total).toBe(4);
  });

  it('counts the procedures in force by legacy level beside the online level, each adding up to the published total', async () => {
    const s = (await get('/v1/procedures/statistics?agencyCode=000.00.17.H55&date=2026-06-30')).json();
    expect(s.publishedByLevel).toEqual({
      total: 4,
      online: { full: 2, partial: 1, none: 1 },
      legacy: { level1: 0, level2: 0, level3: 1, level4: 2, none: 1 },
    });
    const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
    expect(sum(s.publishedByLevel.legacy)).toBe(s.totals.published);
    expect(sum(s.publishedByLevel.online)).toBe(s.totals.published);
    // On 1/7 the partial level-3 record 1.100006 comes into force.
    const july = (await get('/v1/procedures/statistics?date=2026-07-01')).json();
    expect(july.publishedByLevel.legacy).toEqual({ level1: 0, level2: 0, level3: 2, level4: 2, none: 1 });
    const row = s.byField.find(
      (r: { fieldCode: string; status: string; legacyLevel: number | null }) =>
        r.fieldCode === 'DUOC_PHAM' && r.legacyLevel === null,
    );
    expect(row).toMatchObject({ onlineLevel: 'none', status: 'published', count: 1 });
  });

  it('drops an abolished procedure from the published count from its effective date', async () => {
    const before = (await get('/v1/procedures/statistics?agencyCode=000.00.17.H55&date=2026-03-31')).json();
    const after = (await get('/v1/procedures/statistics?agencyCode=000.00.17.H55&date=2026-04-01')).json();
    expect(before.totals.published - after.totals.published).toBe(1);
    expect(after.totals.abolished).toBe(1);
  });

  it('counts a procedure from the day its decision takes effect', async () => {
    const july = (await get('/v1/procedures/statistics?date=2026-07-01')).json();
    expect(july.totals.published).toBe(5);
  });

  it('judges publication timeliness: decisions 5 days before the legal basis, public within 5 working days', async () => {
    const s = (await get('/v1/procedures/statistics?date=2026-06-30&from=2026-01-01')).json();
    // All legal bases took effect in 2017: no decision was due before them in time, none on time.
    expect(s.timeliness.decisionsIssuedOnTime).toEqual({ count: 0, total: 5, rate: 0 });
    // 1.100001: signed Mon 5/1/2026, public Sat 10/1 = 5 working days, Saturday 10/1/2026 being a worked day
    // in lieu of Fri 2/1 (on time); 1.100002: public Tue 20/1 = 12 working days (late).
    expect(s.timeliness.madePublicOnTime).toEqual({ count: 1, total: 2, rate: 0.5, notYetRecorded: 3 });
  });
});

describe('the catalogue.procedure-statistics job (the reports service asks it)', () => {
  it('answers what the statistics route answers, and fails at once for an unknown agency', async () => {
    const workers = startWorkers({ db: h.t.db, bus: h.t.bus, logger: h.t.logger });
    const producer = new JobProducer(h.t.bus);
    const connection = h.t.redis.duplicate();
    const events = new QueueEvents(queues.catalogueJobs, { connection, prefix: h.t.bus.prefix });
    await events.waitUntilReady();
    try {
      const job = await producer.add('catalogue.procedure-statistics', {
        agencyCode: '000.00.17.H55',
        asOf: '2026-06-30',
        from: '2026-01-01',
      });
      const api = await get(
        '/v1/procedures/statistics?agencyCode=000.00.17.H55&date=2026-06-30&from=2026-01-01',
      );
      expect(await job.waitUntilFinished(events, 15_000)).toEqual(api.json());
      const unknown = await producer.add(
        'catalogue.procedure-statistics',
        { agencyCode: '000.99.99.H55', asOf: '2026-06-30' },
        { attempts: 3 },
      );
      await expect(unknown.waitUntilFinished(events, 15_000)).rejects.toThrow(/000\.99\.99\.H55/);
      expect((await producer.queue(queues.catalogueJobs).getJob(String(unknown.id)))?.attemptsMade).toBe(1);
    } finally {
      await events.close();
      connection.disconnect();
      await producer.close();
      await workers.close();
    }
  });
});
