import * as officialDays20242025 from '../src/db/migrations/202611300101_official_days_2024_2025';
import { desk, startIntake, type Harness } from './harness';

/** Issue 10, item 5: the official days of 2024–2025 are seeded, and a year's table loads through the API. */

let h: Harness;
beforeAll(async () => {
  h = await startIntake('2026-11-23T02:00:00Z');
});
afterAll(() => h.close());

type Year = {
  daysOff: { date: string; kind: string }[];
  overrides: { date: string; kind: string; reason: string; updatedBy: string }[];
};
const year = async (y: number): Promise<Year> => (await h.call('GET', `/v1/calendar/${y}`)).json();
const daysOff = async (y: number) => (await year(y)).daysOff.map((d) => d.date);
const load = (y: number, body: unknown) => h.call('PUT', `/v1/calendar/${y}/overrides`, body);
const audits = async (target: string) =>
  h.t.db
    .selectFrom('admin_audit')
    .select(['action', 'actor', 'detail'])
    .where('target', '=', target)
    .orderBy('id')
    .execute();
/** A dossier received at the desk at a local time in Việt Nam; its due date as a local ISO date-time. */
const receivedOn = async (date: string, time = '09:00') => {
  h.setNow(`${date}T${time}:00+07:00`);
  const res = await h.call('POST', '/v1/dossiers', desk());
  expect(res.statusCode).toBe(201);
  return new Date(new Date(res.json().dueAt).getTime() + 7 * 3_600_000).toISOString().slice(0, 16);
};

describe('the seeded official days of 2024 and 2025', () => {
  it('gives Monday 27/1/2025 off (Tết Ất Tỵ, 25/1–2/2) and Monday 3/2/2025 back at work', async () => {
    const off = await daysOff(2025);
    expect(off).toEqual(expect.arrayContaining(['2025-01-27', '2025-01-31', '2025-02-01']));
    expect(off).not.toContain('2025-02-03');
    expect((await year(2025)).overrides).toContainEqual(
      expect.objectContaining({ date: '2025-02-03', kind: 'working_day', updatedBy: 'seed' }),
    );
  });

  it('gives Monday 29/4/2024 off and makes Saturday 4/5/2024 a working day', async () => {
    expect(await daysOff(2024)).toContain('2024-04-29');
    expect(await daysOff(2024)).not.toContain('2024-05-04');
    expect((await year(2024)).overrides).toContainEqual(
      expect.objectContaining({ date: '2024-05-04', kind: 'working_day' }),
    );
  });

  it('gives a 15-working-day dossier received Monday 6/1/2025 a due date of Monday 3/2/2025, across Tết', async () => {
    // 7–10/1 (4), 13–17/1 (9), 20–24/1 (14); 25/1–2/2 off; Mon 3/2 (15). The rules alone would end
    // on Monday 27/1, and the days off without the return on 3/2 on Tuesday 4/2.
    expect(await receivedOn('2025-01-06')).toBe('2025-02-03T17:00');
  });
});

describe("loading a year's table (PUT /v1/calendar/{year}/overrides)", () => {
  const tet2027 = {
    about: 'Thông báo nghỉ năm 2027 (thử nghiệm)',
    entries: [
      {
        from: '2027-03-04',
        to: '2027-03-05',
        kind: 'day_off',
        reason: 'Nghỉ theo thông báo (thử nghiệm)',
        source: 'Văn phòng Chính phủ',
      },
      {
        from: '2027-03-13',
        to: '2027-03-13',
        kind: 'working_day',
        reason: 'Làm bù cho thứ Sáu 5/3/2027',
        source: null,
      },
    ],
  };

  it('loads a good file, answers the year as the calendar now sees it, and moves due dates at once', async () => {
    expect(await receivedOn('2027-03-01')).toBe('2027-03-22T17:00'); // warms the calendar cache
    const res = await load(2027, tet2027);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ year: 2027, replaced: 0 });
    expect(res.json().overrides.map((o: { date: string; kind: string }) => [o.date, o.kind])).toEqual([
      ['2027-03-04', 'holiday'],
      ['2027-03-05', 'holiday'],
      ['2027-03-13', 'working_day'],
    ]);
    expect(res.json().daysOff.map((d: { date: string }) => d.date)).toEqual(
      expect.arrayContaining(['2027-03-04', '2027-03-05']),
    );
    // 2, 3 (2); 4–5 off; 8–12 (7); Sat 13 worked (8); 15–19 (13); 22, 23 (15).
    expect(await receivedOn('2027-03-01')).toBe('2027-03-23T17:00');
    const [audit] = await audits('calendar:2027');
    expect(audit).toMatchObject({
      action: 'calendar.year.load',
      actor: 'officer-1',
      detail: { about: tet2027.about, replaced: [] },
    });
  });

  it("replaces the year's rows, those set one by one included, and records what it replaced", async () => {
    expect(
      (await h.call('PUT', '/v1/calendar/overrides/2027-12-31', { kind: 'holiday', reason: 'Nghỉ đột xuất' }))
        .statusCode,
    ).toBe(200);
    const res = await load(2027, {
      entries: [{ from: '2027-03-05', to: '2027-03-05', kind: 'day_off', reason: 'Chỉ còn thứ Sáu 5/3' }],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().replaced).toBe(4);
    expect((await year(2027)).overrides.map((o) => o.date)).toEqual(['2027-03-05']);
    const last = (await audits('calendar:2027')).pop()!;
    expect((last.detail as { replaced: { date: string }[] }).replaced.map((r) => r.date)).toEqual([
      '2027-03-04',
      '2027-03-05',
      '2027-03-13',
      '2027-12-31',
    ]);
    expect(await daysOff(2026)).toEqual(expect.arrayContaining(['2026-02-16', '2026-01-02'])); // other years untouched
  });

  it('refuses bad rows with 422 naming each entry, and writes nothing', async () => {
    const before = await year(2028);
    const res = await load(2028, {
      entries: [
        { from: '2028-01-26', to: '2028-01-30', kind: 'day_off', reason: 'Tết' },
        { from: '2028-12-30', to: '2029-01-01', kind: 'day_off', reason: 'Tết Dương lịch' },
        { from: '2028-05-03', to: '2028-05-01', kind: 'day_off', reason: 'ngược' },
        { from: '2028-01-29', to: '2028-01-29', kind: 'working_day', reason: 'trùng' },
      ],
    });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 422, code: 'invalid_official_days' });
    expect(res.json().errors).toEqual([
      { in: 'body', pointer: '/entries/1/to', detail: expect.stringContaining('2029-01-01 is not in 2028') },
      { in: 'body', pointer: '/entries/2/to', detail: expect.stringContaining('before it starts') },
      {
        in: 'body',
        pointer: '/entries/3/from',
        detail: expect.stringContaining('2028-01-29 is also in entry 0'),
      },
    ]);
    expect(await year(2028)).toEqual(before);
    expect(await audits('calendar:2028')).toEqual([]);
  });

  it('refuses a row of the wrong shape with 400 naming the field', async () => {
    const res = await load(2028, {
      entries: [
        { from: '2028-02-30', to: '2028-03-01', kind: 'day_off', reason: 'ngày không có' },
        { from: '2028-04-01', to: '2028-04-01', kind: 'holiday', reason: 'sai loại' },
        { from: '2028-04-02', to: '2028-04-02', kind: 'day_off', reason: '' },
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { pointer: string }) => e.pointer)).toEqual([
      '/entries/0/from',
      '/entries/1/kind',
      '/entries/2/reason',
    ]);
    expect((await year(2028)).overrides).toEqual([]);
  });

  it('refuses a table that leaves more than two months without a working day, and writes nothing', async () => {
    const res = await load(2028, {
      entries: [
        { from: '2028-03-01', to: '2028-03-31', kind: 'day_off', reason: 'tháng Ba' },
        { from: '2028-04-01', to: '2028-05-01', kind: 'day_off', reason: 'tháng Tư' },
      ],
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0]).toMatchObject({
      pointer: '/entries',
      detail: expect.stringContaining('no working day within'),
    });
    expect((await year(2028)).overrides).toEqual([]);
    expect(await audits('calendar:2028')).toEqual([]);
  });

  it('refuses a year outside the calendar with 400', async () => {
    expect((await load(2012, { entries: [] })).statusCode).toBe(400);
  });
});

describe('an official day another replica wrote', () => {
  it("moves the next receipt's due date although this process was not told, and takes one serial", async () => {
    const receive = async () => {
      h.setNow('2028-03-01T09:00:00+07:00');
      const res = await h.call('POST', '/v1/dossiers', desk());
      expect(res.statusCode).toBe(201);
      const { code, dueAt } = res.json() as { code: string; dueAt: string };
      return {
        serial: Number(code.split('-').pop()),
        due: new Date(new Date(dueAt).getTime() + 7 * 3_600_000).toISOString().slice(0, 16),
      };
    };
    // Wednesday 1/3/2028: 2, 3 (2); 6–10 (7); 13–17 (12); 20–22 (15). This process now holds the calendar.
    const before = await receive();
    expect(before.due).toBe('2028-03-22T17:00');
    // Another replica's admin marks Tuesday 7/3 off: the row lands in the table, this process hears nothing.
    await h.t.db
      .insertInto('calendar_overrides')
      .values({
        date: '2028-03-07',
        kind: 'holiday',
        reason: 'Nghỉ (thử nghiệm)',
        source: null,
        updated_by: 'admin-2',
      })
      .execute();
    const after = await receive();
    expect(after.due).toBe('2028-03-23T17:00');
    // The attempt computed on the old calendar wrote nothing: the codes stay consecutive.
    expect(after.serial).toBe(before.serial + 1);
  });
});

describe('the migration 202611300101_official_days_2024_2025', () => {
  const rows = async (dates: string[]) =>
    h.t.db
      .selectFrom('calendar_overrides')
      .select(['date', 'kind', 'updated_by'])
      .where('date', 'in', dates)
      .orderBy('date')
      .execute();

  it('adds the 2024–2025 days to a table seeded before them, leaving dates already there as they are', async () => {
    await officialDays20242025.down(h.t.db);
    expect(await rows(['2024-02-08', '2025-01-27', '2025-02-03', '2025-08-30'])).toEqual([]);
    // What the first seed held stays, and so does an administrator's row on one of the new dates.
    expect((await rows(['2024-09-02', '2025-04-26'])).map((r) => r.date)).toEqual([
      '2024-09-02',
      '2025-04-26',
    ]);
    await h.call('PUT', '/v1/calendar/overrides/2025-01-27', {
      kind: 'holiday',
      reason: 'Đặt tay trước khi có bảng',
    });
    await officialDays20242025.up(h.t.db);
    expect(
      await rows([
        '2024-02-08',
        '2024-02-15',
        '2024-04-29',
        '2024-05-04',
        '2025-01-27',
        '2025-02-03',
        '2025-08-30',
      ]),
    ).toEqual([
      { date: '2024-02-08', kind: 'holiday', updated_by: 'seed' },
      { date: '2024-02-15', kind: 'working_day', updated_by: 'seed' },
      { date: '2024-04-29', kind: 'holiday', updated_by: 'seed' },
      { date: '2024-05-04', kind: 'working_day', updated_by: 'seed' },
      { date: '2025-01-27', kind: 'holiday', updated_by: 'officer-1' },
      { date: '2025-02-03', kind: 'working_day', updated_by: 'seed' },
      { date: '2025-08-30', kind: 'holiday', updated_by: 'seed' },
    ]);
  });
});
