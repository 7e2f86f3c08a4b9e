import { eventually } from '@tthc/testkit';
import { startSuite, type Suite } from '../support/suite';

/**
 * The appointment a citizen is told before filing, through the gateway without credentials,
 * computed as a receipt at that instant would be: one procedure whose channels carry 5 working
 * days (direct), 30 calendar days (postal) and 2 working days (online).
 */
let suite: Suite;
beforeAll(async () => {
  suite = await startSuite(() => new Date('2026-11-23T02:00:00Z'));
  const admin = (method: string, path: string, body: unknown, extra: Record<string, string> = {}) =>
    fetch(suite.url + path, {
      method,
      headers: { ...suite.adminHeaders, ...extra, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  await admin('POST', '/v1/fields', { code: 'DUOC_PHAM', name: 'Dược phẩm' });
  await admin('POST', '/v1/agencies', {
    code: '000.00.17.H55',
    name: 'Sở Y tế',
    parentCode: null,
    level: 'province',
    kind: 'department',
  });
  const created = await admin('POST', '/v1/procedures', {
    code: '1.100900',
    name: 'Thủ tục thử hạn giải quyết',
    fieldCode: 'DUOC_PHAM',
    decidingAgencyCode: '000.00.17.H55',
    receivingAgencyCode: '000.00.17.H55',
    authorityLevel: 'province',
    steps: ['Nộp hồ sơ'],
    methods: [
      { channel: 'direct', processingTime: { value: 5, unit: 'working_days' }, fees: [], note: null },
      { channel: 'postal', processingTime: { value: 30, unit: 'days' }, fees: [], note: null },
      { channel: 'online', processingTime: { value: 2, unit: 'working_days' }, fees: [], note: null },
    ],
    components: [],
    conditions: [],
    result: { name: 'Giấy phép', isPaperDocument: false },
    applicantTypes: ['person'],
    legalBasis: [{ number: '105/2016/QH13', title: 'Luật Dược', issuedOn: null, effectiveFrom: null }],
    interAgency: null,
    onlineLevel: 'partial',
    legacyLevel: 3,
  });
  expect(created.status).toBe(201);
  const published = await admin(
    'POST',
    '/v1/procedures/1.100900/publish',
    { decisionNumber: '12/QĐ-UBND', signedOn: '2025-11-20', effectiveFrom: '2025-12-01' },
    { 'if-match': created.headers.get('etag') ?? '' },
  );
  expect(published.status).toBe(200);
}, 60_000);
afterAll(() => suite.close());

const ask = async (channel: string, receivedAt: string) => {
  const res = await fetch(
    `${suite.url}/v1/calendar/due-date?procedureCode=1.100900&channel=${channel}&receivedAt=${encodeURIComponent(receivedAt)}`,
  );
  return { status: res.status, body: (await res.json()) as any };
};

describe('the appointment a receipt would get', () => {
  it.each([
    // Thu 12/2/2026 09:00, 5 working days: Fri 13/2, then Tết (Sat 14/2 – Sun 22/2), 23–26/2.
    [
      'working days across Tết',
      'direct',
      '2026-02-12T02:00:00Z',
      '2026-02-26T10:00:00.000Z',
      '2026-02-12',
      null,
    ],
    // Thu 8/1/2026, 2 working days: Fri 9/1 and Sat 10/1, worked in lieu of Fri 2/1.
    [
      'a Saturday worked in lieu',
      'online',
      '2026-01-08T02:00:00Z',
      '2026-01-10T10:00:00.000Z',
      '2026-01-08',
      null,
    ],
    // Mon 23/11/2026 at 17:30, after the office closed: counted from Tue 24/11, due Tue 1/12.
    [
      'a receipt after the cut-off',
      'direct',
      '2026-11-23T10:30:00Z',
      '2026-12-01T10:00:00.000Z',
      '2026-11-24',
      'after_cutoff',
    ],
    // Tue 31/3/2026 + 30 days ends Thu 30/4 (a holiday), then 1/5 and a weekend: Mon 4/5.
    [
      '30 calendar days ending on a holiday',
      'postal',
      '2026-03-31T02:00:00Z',
      '2026-05-04T10:00:00.000Z',
      '2026-03-31',
      null,
    ],
  ])('answers %s', async (_case, channel, receivedAt, dueAt, countsFrom, moved) => {
    const r = await eventually(async () => {
      const res = await ask(channel, receivedAt);
      return res.status === 200 ? res : undefined;
    });
    expect(r.body).toMatchObject({
      procedureCode: '1.100900',
      channel,
      dueAt,
      countsFrom,
      receiptMoved: moved,
      ruleSetId: 'ND118-2025',
    });
  });

  it('names the days it stepped over and the Saturdays worked', async () => {
    const tet = (await ask('direct', '2026-02-12T02:00:00Z')).body;
    expect(tet.skipped.map((d: { date: string }) => d.date)).toEqual([
      '2026-02-14',
      '2026-02-15',
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
      '2026-02-21',
      '2026-02-22',
    ]);
    expect(tet.skipped[2].reason).not.toBe('weekend');
    const swap = (await ask('online', '2026-01-08T02:00:00Z')).body;
    expect(swap.workedInLieu).toEqual([expect.objectContaining({ date: '2026-01-10', reason: 'swapped' })]);
    const holiday = (await ask('postal', '2026-03-31T02:00:00Z')).body;
    expect(holiday.skipped.map((d: { date: string; reason: string }) => [d.date, d.reason])).toEqual([
      ['2026-04-30', 'holiday'],
      ['2026-05-01', 'holiday'],
      ['2026-05-02', 'weekend'],
      ['2026-05-03', 'weekend'],
    ]);
  });

  it('refuses a procedure that is not in force, naming the field', async () => {
    const res = await ask('direct', '2025-06-01T02:00:00Z');
    expect(res.status).toBe(422);
    expect(res.body.errors[0].pointer).toBe('/procedureCode');
  });
});
