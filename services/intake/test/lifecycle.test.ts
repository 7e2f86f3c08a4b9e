import { act, desk, startIntake, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startIntake('2026-11-23T02:00:00Z'); // Monday 23/11/2026 09:00 local
});
afterAll(() => h.close());
beforeEach(() => h.setNow('2026-11-23T02:00:00Z'));

const file = async (extra: Record<string, unknown> = {}) =>
  (await h.call('POST', '/v1/dossiers', desk(extra))).json();

describe('legal and illegal transitions', () => {
  it('answers an illegal transition with 409 naming the current status', async () => {
    const d = await file();
    const res = await act(h, d.code, 'return', { method: 'desk' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      code: 'invalid_transition',
      currentStatus: 'received',
      currentStatusCode: 2,
    });
    expect(res.json().detail).toContain('received');
  });

  it('refuses every action on a returned dossier', async () => {
    const d = await file();
    await act(h, d.code, 'resolve', { resultNumber: '1/GP-SYT' });
    await act(h, d.code, 'return', { method: 'desk' });
    for (const [path, body] of [
      ['assign', { unit: 'Phòng Dược' }],
      ['resolve', {}],
      ['withdraw', { reason: 'x' }],
      ['stop', { reason: 'x' }],
      ['request-supplement', { reason: 'x', items: ['y'] }],
      ['reschedule', { reason: 'x', newDueAt: '2026-12-30T10:00:00Z' }],
    ] as const) {
      const res = await act(h, d.code, path, body);
      expect({ path, status: res.statusCode, current: res.json().currentStatus }).toEqual({
        path,
        status: 409,
        current: 'returned',
      });
    }
  });

  it('moves through assignment to processing, with each hand-over as a step', async () => {
    const d = await file();
    await act(h, d.code, 'assign', { unit: 'Phòng Nghiệp vụ Dược', officer: 'cv.duoc' });
    h.setNow('2026-11-24T02:00:00Z');
    const res = await act(h, d.code, 'assign', { unit: 'Lãnh đạo Sở', officer: 'pgd', task: 'Ký duyệt' });
    expect(res.json()).toMatchObject({
      status: 'processing',
      statusCode: 4,
      currentUnit: 'Lãnh đạo Sở',
      currentOfficer: 'pgd',
    });
    const detail = (await h.call('GET', `/v1/dossiers/${d.code}`)).json();
    expect(
      detail.steps.map((s: { unit: string; completedAt: string | null }) => [s.unit, s.completedAt]),
    ).toEqual([
      [null, '2026-11-23T02:00:00.000Z'],
      ['Phòng Nghiệp vụ Dược', '2026-11-24T02:00:00.000Z'],
      ['Lãnh đạo Sở', null],
    ]);
  });

  it("opens a paper dossier with the desk's transfer to the processing unit, due the same day before 15:00 or the next morning after", async () => {
    const morning = await file(); // Mon 09:00: by the end of Monday
    h.setNow('2026-11-23T08:30:00Z'); // Mon 15:30: by the start of Tuesday
    const late = await file({ channel: 'postal' });
    const online = await file({ channel: 'online' });
    const first = async (code: string) => (await h.call('GET', `/v1/dossiers/${code}`)).json().steps[0];
    expect(await first(morning.code)).toMatchObject({
      seq: 1,
      agencyCode: '000.20.17.H55',
      task: 'Chuyển hồ sơ giấy đến đơn vị giải quyết',
      dueAt: '2026-11-23T10:00:00.000Z',
    });
    expect(await first(late.code)).toMatchObject({ dueAt: '2026-11-24T01:00:00.000Z' });
    expect(await first(online.code)).toBeUndefined(); // an online dossier moves electronically
    // Handed over on Tuesday afternoon: late against its own deadline, whatever the dossier's.
    h.setNow('2026-11-24T07:00:00Z');
    await act(h, late.code, 'assign', { unit: 'Phòng Nghiệp vụ Dược' });
    expect(await first(late.code)).toMatchObject({ outcome: 'handed_over', timeliness: 'on_time' });
    await act(h, morning.code, 'assign', { unit: 'Phòng Nghiệp vụ Dược' });
    expect(await first(morning.code)).toMatchObject({ outcome: 'handed_over', timeliness: 'late' });
  });

  it('runs parallel steps of an inter-agency procedure side by side, each with its own deadline', async () => {
    const d = await file();
    await act(h, d.code, 'assign', {
      unit: 'Phòng Dược',
      agencyCode: '000.00.17.H55',
      mode: 'parallel',
      processingTime: { value: 5, unit: 'working_days' },
    });
    await act(h, d.code, 'assign', {
      unit: 'Văn phòng UBND',
      agencyCode: '000.00.00.H55',
      mode: 'parallel',
      task: 'Quyết định',
      processingTime: { value: 3, unit: 'working_days' },
    });
    const steps = (await h.call('GET', `/v1/dossiers/${d.code}`)).json().steps;
    expect(
      steps.map((s: { agencyCode: string; dueAt: string; completedAt: null }) => [
        s.agencyCode,
        s.dueAt,
        s.completedAt,
      ]),
    ).toEqual([
      ['000.20.17.H55', '2026-11-23T10:00:00.000Z', '2026-11-23T02:00:00.000Z'], // the paper went with the first assignment
      ['000.00.17.H55', '2026-11-30T10:00:00.000Z', null],
      ['000.00.00.H55', '2026-11-26T10:00:00.000Z', null],
    ]);
  });
});

describe('supplements', () => {
  it('stops the clock, then recomputes the due date from the completion; both facts kept', async () => {
    const d = await file(); // due Mon 14/12
    await act(h, d.code, 'assign', { unit: 'Phòng Dược' });
    h.setNow('2026-11-25T03:00:00Z'); // Wed, 2 working days after receipt
    const asked = await act(h, d.code, 'request-supplement', {
      reason: 'Thiếu giấy tờ',
      items: ['Bản sao văn bằng có chứng thực'],
    });
    expect(asked.json()).toMatchObject({
      status: 'awaiting_supplement',
      statusCode: 5,
      supplementCount: 1,
      overdue: false,
    });
    h.setNow('2026-12-02T03:00:00Z'); // Wed 2/12
    const done = await act(h, d.code, 'complete-supplement');
    // Restarted from 2/12: 3,4 (2), 7–11 (7), 14–18 (12), 21,22,23 (15) → Wed 23/12.
    expect(done.json()).toMatchObject({ status: 'processing', dueAt: '2026-12-23T10:00:00.000Z' });
    const facts = (await h.call('GET', `/v1/dossiers/${d.code}`)).json().supplements;
    expect(facts).toEqual([
      expect.objectContaining({
        requestedAt: '2026-11-25T03:00:00.000Z',
        withinLegalWindow: true,
        dueAtBefore: '2026-12-14T10:00:00.000Z',
        completedAt: '2026-12-02T03:00:00.000Z',
        dueAtAfter: '2026-12-23T10:00:00.000Z',
      }),
    ]);
  });

  it('flags a supplement asked for after the legal window of 3 working days', async () => {
    const d = await file();
    h.setNow('2026-11-27T03:00:00Z'); // Fri: 4 working days after Mon
    await act(h, d.code, 'request-supplement', { reason: 'Thiếu', items: ['x'] });
    const facts = (await h.call('GET', `/v1/dossiers/${d.code}`)).json().supplements;
    expect(facts[0].withinLegalWindow).toBe(false);
  });
});

describe('rescheduling and timeliness', () => {
  it('allows one apology at least a day before the due date, and still judges against the original date', async () => {
    const d = await file(); // due 14/12
    h.setNow('2026-12-10T03:00:00Z');
    const moved = await act(h, d.code, 'reschedule', {
      reason: 'Chờ ý kiến Bộ Y tế',
      newDueAt: '2026-12-18T10:00:00Z',
    });
    expect(moved.json()).toMatchObject({
      dueAt: '2026-12-18T10:00:00.000Z',
      originalDueAt: '2026-12-14T10:00:00.000Z',
      rescheduleCount: 1,
    });
    const again = await act(h, d.code, 'reschedule', { reason: 'Lần nữa', newDueAt: '2026-12-22T10:00:00Z' });
    expect(again.statusCode).toBe(422);
    expect(again.json().code).toBe('reschedule_not_allowed');
    h.setNow('2026-12-16T03:00:00Z');
    const resolved = await act(h, d.code, 'resolve', { resultNumber: '5/GP-SYT' });
    expect(resolved.json()).toMatchObject({ status: 'resolved', timeliness: 'late' });
  });

  it('refuses an apology made on the due date itself: it must come a day before', async () => {
    const d = await file();
    h.setNow('2026-12-14T02:00:00Z'); // the due date itself
    const res = await act(h, d.code, 'reschedule', { reason: 'Trễ', newDueAt: '2026-12-18T10:00:00Z' });
    expect(res.statusCode).toBe(422);
  });

  it('judges early before the due date, on time on it at any hour, late after it', async () => {
    const verdicts: string[] = [];
    for (const at of ['2026-12-11T09:00:00Z', '2026-12-14T16:59:00Z', '2026-12-14T17:00:00Z']) {
      h.setNow('2026-11-23T02:00:00Z');
      const d = await file();
      h.setNow(at);
      verdicts.push((await act(h, d.code, 'resolve', {})).json().timeliness);
    }
    // 16:59Z on 14/12 is 23:59 local (on time); 17:00Z is 00:00 on 15/12 local (late).
    expect(verdicts).toEqual(['early', 'on_time', 'late']);
  });

  it('counts a withdrawn dossier as on time whatever its date', async () => {
    const d = await file();
    h.setNow('2027-01-20T03:00:00Z');
    const res = await act(h, d.code, 'withdraw', { reason: 'Công dân xin rút' });
    expect(res.json()).toMatchObject({ status: 'withdrawn', statusCode: 7, timeliness: 'on_time' });
  });

  it('needs the tracking number to return a result by post', async () => {
    const d = await file();
    await act(h, d.code, 'resolve', { eResult: true });
    const res = await act(h, d.code, 'return', { method: 'post' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].pointer).toBe('/trackingNumber');
    const ok = await act(h, d.code, 'return', { method: 'post', trackingNumber: 'EV123456789VN' });
    expect(ok.json()).toMatchObject({
      status: 'returned',
      statusCode: 10,
      returnInfo: { method: 'post', trackingNumber: 'EV123456789VN' },
    });
  });
});

describe('concurrency and the trail', () => {
  it('needs If-Match, refuses a stale one, and lets one of two simultaneous officers win', async () => {
    const d = await file();
    expect((await h.call('POST', `/v1/dossiers/${d.code}/assign`, { unit: 'A' })).statusCode).toBe(428);
    expect(
      (await h.call('POST', `/v1/dossiers/${d.code}/assign`, { unit: 'A' }, { 'if-match': '"99"' }))
        .statusCode,
    ).toBe(412);
    const [a, b] = await Promise.all([
      h.call('POST', `/v1/dossiers/${d.code}/assign`, { unit: 'Phòng A' }, { 'if-match': '"1"' }),
      h.call('POST', `/v1/dossiers/${d.code}/stop`, { reason: 'Dừng' }, { 'if-match': '"1"' }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 412]);
  });

  it('records every change with who, when, from and to, and keeps the trail append-only', async () => {
    const d = await file();
    await act(h, d.code, 'assign', { unit: 'Phòng Dược' });
    await act(h, d.code, 'resolve', { resultNumber: '9/GP-SYT' });
    const trail = (await h.call('GET', `/v1/dossiers/${d.code}/history`)).json().items;
    expect(
      trail.map((t: { action: string; fromStatus: string | null; toStatus: string; version: number }) => [
        t.version,
        t.action,
        t.fromStatus,
        t.toStatus,
      ]),
    ).toEqual([
      [1, 'receive', null, 'received'],
      [2, 'assign', 'received', 'processing'],
      [3, 'resolve', 'processing', 'resolved'],
    ]);
    expect(trail[2].payload.changed.status).toEqual({ from: 'processing', to: 'resolved' });
    await expect(
      h.t.db.updateTable('dossier_history').set({ actor: 'someone else' }).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(h.t.db.deleteFrom('dossier_history').execute()).rejects.toThrow(/append-only/);
  });
});

describe('payments and ratings', () => {
  it('resumes a dossier awaiting payment when the fee is paid, once per receipt', async () => {
    const d = await file();
    await act(h, d.code, 'request-payment', { amount: 500000, reason: 'Phí thẩm định' });
    const pay = { amount: 500000, method: 'national_portal', online: true, receiptNumber: 'BL-0001' };
    const paid = await h.call('POST', `/v1/dossiers/${d.code}/payments`, pay);
    expect(paid.json().status).toBe('processing');
    expect((await h.call('POST', `/v1/dossiers/${d.code}/payments`, pay)).statusCode).toBe(409);
    const events = await h.t.db
      .selectFrom('outbox')
      .select('type')
      .where('entity_id', '=', d.id)
      .where('type', '=', 'dossier.paid')
      .execute();
    expect(events).toHaveLength(1);
  });

  it('takes one rating, only after the result', async () => {
    const d = await file();
    expect((await h.call('POST', `/v1/dossiers/${d.code}/rating`, { rating: 'satisfied' })).statusCode).toBe(
      409,
    );
    await act(h, d.code, 'resolve', {});
    expect(
      (await h.call('POST', `/v1/dossiers/${d.code}/rating`, { rating: 'satisfied', comment: 'Tốt' }))
        .statusCode,
    ).toBe(200);
    const second = await h.call('POST', `/v1/dossiers/${d.code}/rating`, { rating: 'normal' });
    expect(second.json().code).toBe('already_rated');
  });
});

describe('calendar overrides', () => {
  it('moves due dates when an admin declares a day off', async () => {
    const before = await file();
    expect(before.dueAt).toBe('2026-12-14T10:00:00.000Z');
    expect(
      (await h.call('PUT', '/v1/calendar/overrides/2026-12-01', { kind: 'holiday', reason: 'Nghỉ đột xuất' }))
        .statusCode,
    ).toBe(200);
    const after = await file();
    expect(after.dueAt).toBe('2026-12-15T10:00:00.000Z');
    const year = (await h.call('GET', '/v1/calendar/2026')).json();
    expect(year.overrides.map((o: { date: string }) => o.date)).toContain('2026-12-01');
    expect(year.daysOff.map((x: { date: string }) => x.date)).toEqual(
      expect.arrayContaining(['2026-02-17', '2026-04-26', '2026-09-02', '2026-12-01']),
    );
    await h.call('DELETE', '/v1/calendar/overrides/2026-12-01');
    expect((await file()).dueAt).toBe('2026-12-14T10:00:00.000Z');
  });
});
