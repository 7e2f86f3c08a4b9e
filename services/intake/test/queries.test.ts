import { act, desk, startIntake, type Harness } from './harness';

let h: Harness;
const codes: Record<string, string> = {};
beforeAll(async () => {
  h = await startIntake('2026-11-02T02:00:00Z'); // Mon 2/11: due Mon 23/11
  codes['early'] = (await h.call('POST', '/v1/dossiers', desk())).json().code;
  h.setNow('2026-11-09T02:00:00Z'); // Mon 9/11: due Mon 30/11
  codes['later'] = (await h.call('POST', '/v1/dossiers', desk({ channel: 'online' }))).json().code;
  codes['waiting'] = (await h.call('POST', '/v1/dossiers', desk())).json().code;
  await act(h, codes['waiting']!, 'request-supplement', { reason: 'Thiếu', items: ['Giấy tờ'] });
  codes['assigned'] = (await h.call('POST', '/v1/dossiers', desk())).json().code;
  await act(h, codes['assigned']!, 'assign', { unit: 'Phòng Dược', officer: 'cv.an' });
  h.setNow('2026-11-24T03:00:00Z'); // Tue 24/11: the first is overdue, the others due Mon 30/11
});
afterAll(() => h.close());

const list = async (qs: string) => (await h.call('GET', `/v1/dossiers?${qs}`)).json();
const listed = async (qs: string) => (await list(qs)).items.map((d: { code: string }) => d.code);

describe('desk lists', () => {
  it('lists overdue dossiers now (due before today), leaving those waiting for the applicant out', async () => {
    expect(await listed('overdue=true')).toEqual([codes['early']]);
    const item = (await list('overdue=true')).items[0];
    expect(item).toMatchObject({ overdue: true, dueToday: false });
    expect(item.applicant).toBeUndefined();
  });

  it('lists dossiers due from today to the N-th working day, leaving the overdue ones to their list', async () => {
    // Within 4 working days of Tue 24/11 means from Tue 24/11 to the end of Mon 30/11.
    expect((await listed('dueWithinWorkingDays=4&sort=due')).sort()).toEqual(
      [codes['later'], codes['assigned']].sort(),
    );
    expect(await listed('dueWithinWorkingDays=3&sort=due')).toEqual([]);
    h.setNow('2026-11-30T03:00:00Z'); // Mon 30/11: both are due today
    try {
      expect((await listed('dueWithinWorkingDays=0&sort=due')).sort()).toEqual(
        [codes['later'], codes['assigned']].sort(),
      );
    } finally {
      h.setNow('2026-11-24T03:00:00Z');
    }
  });

  it('filters by status, unit, officer, channel and receipt dates', async () => {
    expect(await listed('status=awaiting_supplement')).toEqual([codes['waiting']]);
    expect(await listed('unit=Ph%C3%B2ng%20D%C6%B0%E1%BB%A3c')).toEqual([codes['assigned']]);
    expect(await listed('officer=cv.an')).toEqual([codes['assigned']]);
    expect(await listed('channel=online')).toEqual([codes['later']]);
    expect(await listed('receivedBefore=2026-11-05T00:00:00Z')).toEqual([codes['early']]);
  });

  it('pages newest first with a cursor, and counts on request', async () => {
    const first = await list('limit=2&count=true');
    expect(first.total).toBe(4);
    const second = await list(`limit=2&cursor=${first.nextCursor}`);
    const all = [...first.items, ...second.items].map((d: { code: string }) => d.code);
    expect(new Set(all).size).toBe(4);
    expect(second.nextCursor).toBeNull();
  });
});

describe('citizen tracking', () => {
  it('shows status, due date and steps with the right phone number, and no personal data', async () => {
    const res = await h.call('GET', `/v1/tracking/${codes['assigned']}`, undefined, {
      'x-verification': '0912 345 678',
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      code: codes['assigned'],
      status: 'processing',
      statusLabel: 'Đang xử lý',
      dueAt: '2026-11-30T10:00:00.000Z',
    });
    expect(body.steps.map((s: { status: string }) => s.status)).toEqual(['received', 'processing']);
    const text = JSON.stringify(body);
    for (const personal of ['0912345678', '001085012345', 'Lê Lợi', 'Nguyễn Văn An', 'cv.an', 'officer-1'])
      expect(text).not.toContain(personal);
  });

  it('accepts the ID number as the second factor', async () => {
    const res = await h.call('GET', `/v1/tracking/${codes['early']}`, undefined, {
      'x-verification': '001085012345',
    });
    expect(res.statusCode).toBe(200);
  });

  it('answers a wrong factor exactly like an unknown code, and locks the code after repeated failures', async () => {
    const wrong = await h.call('GET', `/v1/tracking/${codes['later']}`, undefined, {
      'x-verification': '0999999999',
    });
    const unknown = await h.call('GET', '/v1/tracking/000.20.17.H55-261109-9999', undefined, {
      'x-verification': '0999999999',
    });
    expect([wrong.statusCode, unknown.statusCode]).toEqual([404, 404]);
    expect(wrong.json().detail).toBe(unknown.json().detail);
    for (let i = 0; i < 5; i++)
      await h.call('GET', `/v1/tracking/${codes['later']}`, undefined, { 'x-verification': '0999999999' });
    const locked = await h.call('GET', `/v1/tracking/${codes['later']}`, undefined, {
      'x-verification': '0912345678',
    });
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['retry-after']).toBeDefined();
  });
});
