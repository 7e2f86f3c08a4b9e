import { sql } from 'kysely';
import { act, desk, startIntake, type Harness } from './harness';

/**
 * The dossier clock (domain.md, Timeliness): waiting for the applicant stops it, a supplement
 * restarts it or not as the rule set says, and a reschedule never changes what the dossier is
 * judged against. Procedure 1.004579 takes 15 working days: received Mon 23/11/2026 09:00, due
 * Mon 14/12 at the end of office hours (10:00Z).
 */
let h: Harness;
beforeAll(async () => {
  h = await startIntake('2026-11-23T02:00:00Z');
});
afterAll(() => h.close());
beforeEach(() => h.setNow('2026-11-23T02:00:00Z'));

async function rules(params: Record<string, unknown>) {
  await sql`update rule_sets set params = params || ${JSON.stringify(params)}::jsonb where id = 'ND118-2025'`.execute(
    h.t.db,
  );
}
const at = (iso: string) => h.setNow(iso);
const read = async (code: string) => (await h.call('GET', `/v1/dossiers/${code}`)).json();
async function step(code: string, path: string, body: unknown = {}) {
  const res = await act(h, code, path, body);
  expect({ path, status: res.statusCode, body: res.statusCode === 200 ? undefined : res.json() }).toEqual({
    path,
    status: 200,
    body: undefined,
  });
  return res.json();
}
async function file() {
  const res = await h.call('POST', '/v1/dossiers', desk());
  expect(res.statusCode).toBe(201);
  expect(res.json().dueAt).toBe('2026-12-14T10:00:00.000Z');
  return res.json().code as string;
}
const statusEvents = async (id: string) =>
  (
    await h.t.db
      .selectFrom('outbox')
      .select(['payload'])
      .where('entity_id', '=', id)
      .where('type', '=', 'dossier.status_changed')
      .orderBy('occurred_at')
      .execute()
  ).map(
    (r) =>
      r.payload as {
        to: string;
        dueAt: string | null;
        legalDueAt: string | null;
        originalDueAt: string | null;
      },
  );

describe('waiting for payment', () => {
  it('stops the clock: paying moves the due date by the working days spent waiting, so the dossier is not late the moment it is paid', async () => {
    await rules({ paymentWait: 'pause' });
    const code = await file();
    at('2026-11-24T03:00:00Z');
    await step(code, 'request-payment', { amount: 500000, reason: 'Phí thẩm định' });
    at('2026-12-21T02:00:00Z'); // after the original due date
    const paid = await step(code, 'payments', {
      amount: 500000,
      method: 'bank_transfer',
      online: true,
      receiptNumber: 'BL-1',
    });
    // 19 working days waited (25/11 to 21/12): due Mon 11/1/2027 (1/1 is a holiday).
    expect(paid).toMatchObject({
      status: 'processing',
      dueAt: '2027-01-11T10:00:00.000Z',
      originalDueAt: '2026-12-14T10:00:00.000Z',
      overdue: false,
    });
    const resumed = (await statusEvents(paid.id)).find((e) => e.to === 'processing');
    expect(resumed).toMatchObject({
      dueAt: '2027-01-11T10:00:00.000Z',
      legalDueAt: '2027-01-11T10:00:00.000Z',
      originalDueAt: '2026-12-14T10:00:00.000Z',
    });
    at('2026-12-22T02:00:00Z');
    expect(await step(code, 'resolve', {})).toMatchObject({ status: 'resolved', timeliness: 'early' });
  });

  it('lets the clock run when the rule set counts the wait', async () => {
    await rules({ paymentWait: 'count' });
    const code = await file();
    at('2026-11-24T03:00:00Z');
    await step(code, 'request-payment', { amount: 500000, reason: 'Phí thẩm định' });
    at('2026-12-21T02:00:00Z');
    expect(
      await step(code, 'payments', { amount: 500000, method: 'cash', online: false, receiptNumber: 'BL-2' }),
    ).toMatchObject({ dueAt: '2026-12-14T10:00:00.000Z' });
    at('2026-12-22T02:00:00Z');
    expect(await step(code, 'resolve', {})).toMatchObject({ timeliness: 'late' });
    await rules({ paymentWait: 'pause' });
  });
});

describe('a supplement after a reschedule', () => {
  /** Received 23/11 (due 14/12); apology on Fri 4/12 moving it to Fri 18/12; supplement asked Mon 7/12, arrived Wed 9/12. */
  async function rescheduledThenSupplemented() {
    const code = await file();
    at('2026-12-04T02:00:00Z');
    await step(code, 'reschedule', {
      reason: 'Cần lấy ý kiến cơ quan liên quan',
      newDueAt: '2026-12-18T10:00:00Z',
    });
    at('2026-12-07T02:00:00Z');
    await step(code, 'request-supplement', { reason: 'Thiếu', items: ['Bản sao văn bằng'] });
    at('2026-12-09T02:00:00Z');
    return { code, completed: await step(code, 'complete-supplement', {}) };
  }

  it('without a restart, adds the wait back and still judges against the original date, not the rescheduled one', async () => {
    await rules({ restartClockAfterSupplement: false });
    const { code, completed } = await rescheduledThenSupplemented();
    // Two working days waited (8 and 9/12): the appointment 18/12 → Tue 22/12, the legal date 14/12 → Wed 16/12.
    expect(completed).toMatchObject({
      dueAt: '2026-12-22T10:00:00.000Z',
      originalDueAt: '2026-12-14T10:00:00.000Z',
    });
    const event = await h.t.db
      .selectFrom('outbox')
      .select('payload')
      .where('entity_id', '=', completed.id)
      .where('type', '=', 'dossier.supplement_completed')
      .executeTakeFirstOrThrow();
    expect(event.payload).toMatchObject({
      dueAt: '2026-12-22T10:00:00.000Z',
      legalDueAt: '2026-12-16T10:00:00.000Z',
      waitedWorkingDays: 2,
    });
    at('2026-12-21T02:00:00Z');
    // Before the rescheduled appointment but after the legal date: late.
    expect(await step(code, 'resolve', {})).toMatchObject({
      timeliness: 'late',
      originalDueAt: '2026-12-14T10:00:00.000Z',
    });
    await rules({ restartClockAfterSupplement: true });
  });

  it('with a restart, counts the full processing time again from the completion; the receipt date is kept', async () => {
    await rules({ restartClockAfterSupplement: true });
    const { code, completed } = await rescheduledThenSupplemented();
    // 15 working days from Wed 9/12: Wed 30/12.
    expect(completed).toMatchObject({
      dueAt: '2026-12-30T10:00:00.000Z',
      originalDueAt: '2026-12-14T10:00:00.000Z',
    });
    at('2026-12-21T02:00:00Z');
    expect(await step(code, 'resolve', {})).toMatchObject({ timeliness: 'early' });
    expect((await read(code)).supplements[0]).toMatchObject({
      dueAtBefore: '2026-12-18T10:00:00.000Z',
      dueAtAfter: '2026-12-30T10:00:00.000Z',
    });
  });

  it('never writes the original due date again, whatever moves the appointment', async () => {
    const { code } = await rescheduledThenSupplemented();
    const trail = (await h.call('GET', `/v1/dossiers/${code}/history`)).json().items as {
      payload: { changed: Record<string, unknown> };
    }[];
    expect(trail.some((t) => 'original_due_at' in (t.payload.changed ?? {}))).toBe(false);
  });
});
