import type { Db } from '@tthc/db';
import type { ServiceApp } from '@tthc/service-kit';
import type { FeedbackDb } from '../src/feedback/db/feedback.schema';
import { insertRuleSet } from '../src/calendar/db/settings.repository';
import {
  FEEDBACK_HANDLING_WORKING_DAYS,
  feedbackCode,
  feedbackRulesOn,
} from '../src/feedback/domain/feedback';
import { SEEDED_RULE_SETS } from '../src/calendar/domain/rule-set';
import { desk, startIntake, type Harness } from './harness';

let h: Harness;
let app: ServiceApp;
let db: Db<FeedbackDb>;

/** Received Friday 27/11/2026 09:00 in Việt Nam. */
const FRIDAY = '2026-11-27T02:00:00Z';

beforeAll(async () => {
  h = await startIntake(FRIDAY);
  db = h.t.db as unknown as Db<FeedbackDb>;
  app = h.app;
});
afterAll(() => h.close());
beforeEach(() => h.setNow(FRIDAY));

const call = (method: 'GET' | 'POST', url: string, payload?: unknown, extra: Record<string, string> = {}) =>
  app.inject({
    method,
    url,
    headers: { ...h.headers, ...extra },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

const sender = {
  name: 'Trần Thị Bình',
  phone: '0912 345 678',
  email: 'binh@example.vn',
  address: '5 Hùng Vương, Huế',
};

let dossierCode: string;
async function aDossier(): Promise<string> {
  dossierCode ??= (await h.call('POST', '/v1/dossiers', desk())).json().code;
  return dossierCode;
}

const onHandling = async (extra: Record<string, unknown> = {}) => ({
  kind: 'handling',
  dossierCode: await aDossier(),
  sender,
  content: 'Hồ sơ đã quá hạn hẹn trả nhưng chưa được thông báo lý do.',
  ...extra,
});

async function receive(extra: Record<string, unknown> = {}) {
  const res = await call('POST', '/v1/feedback', await onHandling(extra));
  expect(res.statusCode).toBe(201);
  return res.json();
}

/** Runs a step with the feedback's current ETag. */
async function step(code: string, path: 'assign' | 'answer', body: unknown) {
  const current = await call('GET', `/v1/feedback/${code}`);
  return call('POST', `/v1/feedback/${code}/${path}`, body, { 'if-match': current.headers.etag as string });
}

const assign = (code: string) => step(code, 'assign', { unit: 'Phòng Nghiệp vụ Dược', officer: 'cv.duoc' });
const answer = (code: string) =>
  step(code, 'answer', { answer: 'Hồ sơ chậm do chờ ý kiến Bộ Y tế; kết quả trả ngày 18/12.' });

const eventsOf = (id: string, type: string) =>
  db
    .selectFrom('outbox')
    .select(['payload', 'entity_version'])
    .where('entity_id', '=', id)
    .where('type', '=', type)
    .execute();

describe('rules', () => {
  it('numbers feedback by the receipt date in Việt Nam', () => {
    expect(feedbackCode(new Date('2026-11-26T17:30:00Z'), 7)).toBe('PAKN-261127-0007'); // 00:30 on 27/11 local
  });

  it('takes the handling period from the rule set in force, or the default when it has none or a bad one', () => {
    const sets = [
      { id: 'A', effectiveFrom: '2018-08-21', params: { maxReschedules: 1 } },
      { id: 'B', effectiveFrom: '2027-01-01', params: { feedbackHandlingWorkingDays: 7 } },
      { id: 'C', effectiveFrom: '2028-01-01', params: { feedbackHandlingWorkingDays: 'ten' } },
    ];
    expect(feedbackRulesOn(sets, '2026-12-31')).toEqual({
      ruleSetId: 'A',
      handlingWorkingDays: FEEDBACK_HANDLING_WORKING_DAYS,
    });
    expect(feedbackRulesOn(sets, '2027-01-01')).toEqual({ ruleSetId: 'B', handlingWorkingDays: 7 });
    expect(feedbackRulesOn(sets, '2028-06-01')).toEqual({ ruleSetId: 'C', handlingWorkingDays: 10 });
    expect(feedbackRulesOn(sets, '2010-01-01')).toBeUndefined();
  });
});

describe('receipt', () => {
  it('gives a feedback its code and a due date 10 working days on, across the weekends', async () => {
    const f = await receive();
    expect(f.code).toMatch(/^PAKN-261127-\d{4}$/);
    // Fri 27/11 → Mon 30/11 is day 1 … Fri 11/12 is day 10, at the end of office hours (17:00 = 10:00Z).
    expect(f).toMatchObject({
      kind: 'handling',
      status: 'received',
      procedureCode: '1.004579',
      dossierCode,
      agencyCode: '000.00.17.H55',
      receivedAt: '2026-11-27T02:00:00.000Z',
      dueAt: '2026-12-11T10:00:00.000Z',
      sender: { name: 'Trần Thị Bình', phone: '0912345678', email: 'binh@example.vn' },
      allowedActions: ['assign'],
      etag: '"1"',
    });
    const [event] = await eventsOf(f.id, 'feedback.received');
    expect(event?.payload).toEqual({
      feedbackId: f.id,
      code: f.code,
      kind: 'handling',
      agencyCode: '000.00.17.H55',
      procedureCode: '1.004579',
      dossierCode,
      receivedAt: '2026-11-27T02:00:00.000Z',
      dueAt: '2026-12-11T10:00:00.000Z',
    });
  });

  it('numbers the feedback of a day in sequence, even when received together', async () => {
    const codes = (await Promise.all([1, 2, 3].map(() => receive())))
      .map((f: { code: string }) => Number(f.code.slice(-4)))
      .sort((a, b) => a - b);
    expect(codes[1]! - codes[0]!).toBe(1);
    expect(codes[2]! - codes[1]!).toBe(1);
  });

  it('takes feedback on a regulation from the procedure, answered by its deciding agency', async () => {
    const res = await call('POST', '/v1/feedback', {
      kind: 'regulation',
      procedureCode: '1.004579',
      sender: { name: 'Công ty Dược An Bình', email: 'lienhe@anbinh.vn' },
      content: 'Đề nghị bỏ yêu cầu bản sao có chứng thực.',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'regulation', dossierCode: null, agencyCode: '000.00.17.H55' });
  });

  it('reads the handling period from the rule set in force when it carries one', async () => {
    const base = SEEDED_RULE_SETS[1]!;
    await insertRuleSet(h.t.db, {
      id: 'TEST-2027',
      name: 'Bộ quy tắc thử',
      legal_basis: 'thử nghiệm',
      effective_from: '2027-01-01',
      params: JSON.stringify({ ...base.params, feedbackHandlingWorkingDays: 5 }),
    });
    h.setNow('2027-01-04T02:00:00Z'); // Mon 4/1/2027 → 5,6,7,8,11
    const f = await receive();
    expect(f).toMatchObject({ dueAt: '2027-01-11T10:00:00.000Z', ruleSetId: 'TEST-2027' });
  });

  it('rejects a bad phone and e-mail, naming both fields', async () => {
    const res = await call(
      'POST',
      '/v1/feedback',
      await onHandling({ sender: { name: 'An', phone: '12345', email: 'not-an-email' } }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(
      res
        .json()
        .errors.map((e: { pointer: string }) => e.pointer)
        .sort(),
    ).toEqual(['/sender/email', '/sender/phone']);
  });

  it('needs a way to answer the sender, and a dossier for feedback on handling', async () => {
    const anonymous = await call('POST', '/v1/feedback', await onHandling({ sender: { name: 'An' } }));
    expect(anonymous.statusCode).toBe(400);
    expect(anonymous.json().errors[0].pointer).toBe('/sender');
    const noDossier = await call('POST', '/v1/feedback', { kind: 'handling', sender, content: 'Chậm' });
    expect(noDossier.json().errors[0].pointer).toBe('/dossierCode');
    const unknown = await call(
      'POST',
      '/v1/feedback',
      await onHandling({ dossierCode: '000.20.17.H55-261127-9999' }),
    );
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json()).toMatchObject({ code: 'unknown_dossier', errors: [{ pointer: '/dossierCode' }] });
  });
});

describe('handling', () => {
  it('assigns the feedback to a unit, needing the current ETag', async () => {
    const f = await receive();
    const body = { unit: 'Phòng Nghiệp vụ Dược' };
    expect((await call('POST', `/v1/feedback/${f.code}/assign`, body)).statusCode).toBe(428);
    const stale = await call('POST', `/v1/feedback/${f.code}/assign`, body, { 'if-match': '"7"' });
    expect(stale.statusCode).toBe(412);
    expect(stale.json().code).toBe('precondition_failed');
    h.setNow('2026-11-30T01:00:00Z');
    const res = await call('POST', `/v1/feedback/${f.code}/assign`, body, { 'if-match': '"1"' });
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe('"2"');
    expect(res.json()).toMatchObject({
      status: 'assigned',
      assignedUnit: 'Phòng Nghiệp vụ Dược',
      assignedAt: '2026-11-30T01:00:00.000Z',
    });
    expect(
      (await call('POST', `/v1/feedback/${f.code}/assign`, body, { 'if-match': '"1"' })).statusCode,
    ).toBe(412);
  });

  it('refuses to answer a feedback nobody was assigned, naming its status', async () => {
    const f = await receive();
    const res = await answer(f.code);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'invalid_transition', currentStatus: 'received' });
    expect(res.json().detail).toContain('received');
  });

  it('judges an answer early before the due date, on time on it at any hour, late after it', async () => {
    const verdicts: unknown[] = [];
    // Due Fri 11/12. 16:59Z on 11/12 is 23:59 local (on time); 17:00Z is 00:00 on 12/12 local (late).
    for (const at of ['2026-12-10T09:00:00Z', '2026-12-11T16:59:00Z', '2026-12-11T17:00:00Z']) {
      h.setNow(FRIDAY);
      const f = await receive();
      await assign(f.code);
      h.setNow(at);
      const res = await answer(f.code);
      expect(res.statusCode).toBe(200);
      const [event] = await eventsOf(f.id, 'feedback.answered');
      verdicts.push([res.json().timeliness, (event?.payload as { onTime: boolean }).onTime]);
      expect(res.json()).toMatchObject({
        status: 'answered',
        answeredAt: new Date(at).toISOString(),
        answeredBy: 'officer-1',
      });
      expect(event?.payload).toMatchObject({
        feedbackId: f.id,
        code: f.code,
        kind: 'handling',
        agencyCode: '000.00.17.H55',
        dueAt: '2026-12-11T10:00:00.000Z',
      });
      expect(event?.entity_version).toBe(3);
    }
    expect(verdicts).toEqual([
      ['early', true],
      ['on_time', true],
      ['late', false],
    ]);
  });

  it('takes the sender’s rating once, after the answer, and closes the feedback', async () => {
    const f = await receive();
    await assign(f.code);
    const early = await call('POST', `/v1/feedback/${f.code}/rating`, { satisfaction: 'satisfied' });
    expect(early.statusCode).toBe(409);
    expect(early.json().currentStatus).toBe('assigned');
    await answer(f.code);
    h.setNow('2026-12-01T03:00:00Z');
    const rated = await call('POST', `/v1/feedback/${f.code}/rating`, {
      satisfaction: 'not_satisfied',
      comment: 'Chưa nêu rõ ngày trả',
    });
    expect(rated.statusCode).toBe(200);
    expect(rated.json()).toMatchObject({
      status: 'closed',
      satisfaction: 'not_satisfied',
      ratingComment: 'Chưa nêu rõ ngày trả',
      ratedAt: '2026-12-01T03:00:00.000Z',
      allowedActions: [],
    });
    const again = await call('POST', `/v1/feedback/${f.code}/rating`, { satisfaction: 'satisfied' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'already_rated', currentStatus: 'closed' });
    expect((await answer(f.code)).json()).toMatchObject({
      code: 'invalid_transition',
      currentStatus: 'closed',
    });
  });

  it('answers 404 for a feedback that does not exist', async () => {
    expect((await call('GET', '/v1/feedback/PAKN-261127-9999')).statusCode).toBe(404);
    expect(
      (await call('POST', '/v1/feedback/PAKN-261127-9999/assign', { unit: 'A' }, { 'if-match': '"1"' }))
        .statusCode,
    ).toBe(404);
  });
});

describe('lists', () => {
  it('lists overdue feedback: unanswered and due before today', async () => {
    const agencyCode = '000.00.99.H55';
    const late = await receive({ agencyCode }); // due 11/12
    h.setNow('2026-11-27T03:00:00Z');
    const answered = await receive({ agencyCode });
    await assign(answered.code);
    await answer(answered.code);
    h.setNow('2026-12-11T03:00:00Z');
    const dueToday = (await call('GET', `/v1/feedback?agencyCode=${agencyCode}&overdue=true`)).json();
    expect(dueToday.items).toEqual([]);
    h.setNow('2026-12-14T02:00:00Z'); // Monday after the due date
    const fresh = await receive({ agencyCode });
    const res = await call('GET', `/v1/feedback?agencyCode=${agencyCode}&overdue=true&count=true`);
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((f: { code: string; overdue: boolean }) => [f.code, f.overdue])).toEqual([
      [late.code, true],
    ]);
    expect(res.json().total).toBe(1);
    const all = await call('GET', `/v1/feedback?agencyCode=${agencyCode}`);
    expect(all.json().items.map((f: { code: string }) => f.code)).toEqual([
      fresh.code,
      answered.code,
      late.code,
    ]);
    expect(all.body).not.toContain('0912345678'); // the list shows no personal data
  });

  it('filters by status and kind and pages with a cursor, newest first', async () => {
    const agencyCode = '000.00.98.H55';
    const [, second] = [
      await receive({ agencyCode }),
      await receive({ agencyCode }),
      await receive({ agencyCode }),
    ];
    await assign(second.code);
    await answer(second.code);
    const byStatus = (
      await call('GET', `/v1/feedback?agencyCode=${agencyCode}&status=answered,closed`)
    ).json().items;
    expect(byStatus.map((f: { code: string; status: string }) => [f.code, f.status])).toEqual([
      [second.code, 'answered'],
    ]);
    expect((await call('GET', `/v1/feedback?agencyCode=${agencyCode}&kind=regulation`)).json().items).toEqual(
      [],
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { code: string }[]; nextCursor: string | null } = (
        await call('GET', `/v1/feedback?agencyCode=${agencyCode}&limit=1${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      seen.push(...page.items.map((f) => f.code));
      cursor = page.nextCursor;
    } while (cursor);
    const all = (await call('GET', `/v1/feedback?agencyCode=${agencyCode}`))
      .json()
      .items.map((f: { code: string }) => f.code);
    expect(seen).toEqual(all);
    expect(seen).toHaveLength(3);
    expect((await call('GET', '/v1/feedback?status=pending')).statusCode).toBe(400);
    expect((await call('GET', '/v1/feedback?cursor=zzz')).json().code).toBe('invalid_cursor');
  });
});

describe('the trail', () => {
  it('records every step with who, when, from and to, without the sender’s personal data, and is append-only', async () => {
    const f = await receive();
    await assign(f.code);
    await answer(f.code);
    const trail = (await call('GET', `/v1/feedback/${f.code}/history`)).json().items;
    expect(
      trail.map((t: { version: number; action: string; fromStatus: string | null; toStatus: string }) => [
        t.version,
        t.action,
        t.fromStatus,
        t.toStatus,
      ]),
    ).toEqual([
      [1, 'receive', null, 'received'],
      [2, 'assign', 'received', 'assigned'],
      [3, 'answer', 'assigned', 'answered'],
    ]);
    expect(trail[0]).toMatchObject({
      actor: 'officer-1',
      actorRole: 'desk_officer',
      actorAgency: '000.20.17.H55',
      payload: { handlingWorkingDays: 10 },
    });
    expect(trail[2].payload.changed.timeliness).toEqual({ from: null, to: 'early' });
    const outbox = await db.selectFrom('outbox').select('payload').where('entity_id', '=', f.id).execute();
    for (const text of [JSON.stringify(trail), JSON.stringify(outbox)]) {
      expect(text).not.toContain('0912345678');
      expect(text).not.toContain('binh@example.vn');
      expect(text).not.toContain('Hùng Vương');
    }
    await expect(db.updateTable('feedback_history').set({ actor: 'someone else' }).execute()).rejects.toThrow(
      /append-only/,
    );
    await expect(db.deleteFrom('feedback_history').execute()).rejects.toThrow(/append-only/);
  });
});
