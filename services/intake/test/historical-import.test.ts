import { isOverdueAt } from '@tthc/calendar';
import { judgedDueDate } from '../src/domain/dossier-clock';
import { startIntake, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startIntake('2026-11-23T02:00:00Z');
});
afterAll(() => h.close());

const applicant = { kind: 'person', fullName: 'Đỗ Minh Tuấn', phone: '0987000111' };
/** Received Mon 2/3/2026, due Mon 23/3 (15 working days), resolved Fri 20/3 (early), returned by post. */
const resolvedEarly = (sourceId: string, code = `000.20.17.H55-260302-${sourceId.padStart(4, '0')}`) => ({
  sourceId,
  code,
  procedureCode: '1.004579',
  channel: 'online',
  applicant,
  receivedAt: '2026-03-02T02:00:00Z',
  dueAt: '2026-03-23T10:00:00Z',
  history: [
    { status: 'received', at: '2026-03-02T02:00:00Z', actor: 'mot-cua.an' },
    { status: 'processing', at: '2026-03-02T07:00:00Z' },
    { status: 'awaiting_payment', at: '2026-03-05T02:00:00Z' },
    { status: 'processing', at: '2026-03-06T02:00:00Z' },
    { status: 'resolved', at: '2026-03-20T04:00:00Z' },
    { status: 'returned', at: '2026-03-21T01:00:00Z' },
  ],
  payments: [
    {
      amount: 500000,
      method: 'national_portal',
      online: true,
      receiptNumber: 'OLD-1',
      paidAt: '2026-03-06T02:00:00Z',
    },
  ],
  result: { eResult: true, resultDigitized: true },
  returnInfo: { method: 'post', trackingNumber: 'EV1VN' },
  rating: { rating: 'satisfied', ratedAt: '2026-03-22T03:00:00Z' },
});
const post = (body: unknown, qs = '', type?: string) =>
  h.app.inject({
    method: 'POST',
    url: `/v1/dossiers/import${qs}`,
    headers: { ...h.headers, ...(type ? { 'content-type': type } : {}) },
    payload: body as string,
  });

describe('historical import', () => {
  it('reports every row error with row, column and reason, and imports nothing', async () => {
    const res = await post({
      sourceSystem: 'motcua-cu',
      dossiers: [
        resolvedEarly('1'),
        {
          ...resolvedEarly('2'),
          history: [
            { status: 'received', at: '2026-03-02T02:00:00Z' },
            { status: 'returned', at: '2026-03-03T02:00:00Z' },
          ],
        },
        { ...resolvedEarly('3'), receivedAt: '2027-01-01T00:00:00Z' },
        { ...resolvedEarly('4'), applicant: { ...applicant, phone: '123' } },
        { ...resolvedEarly('5'), procedureCode: '9.999999' },
      ],
    });
    expect(res.statusCode).toBe(422);
    const errs = res.json().errors.map((e: { row: number; column: string }) => `${e.row}:${e.column}`);
    expect(errs).toEqual(
      expect.arrayContaining(['2:history.1.status', '3:receivedAt', '4:applicant.phone', '5:procedureCode']),
    );
    expect(errs.some((e: string) => e.startsWith('1:'))).toBe(false);
    expect(await h.t.db.selectFrom('dossiers').select('id').execute()).toHaveLength(0);
  });

  it('imports with the original times, computes timeliness, and emits the events of a live dossier at their times', async () => {
    const res = await post({ sourceSystem: 'motcua-cu', dossiers: [resolvedEarly('1')] });
    expect(res.json()).toMatchObject({ applied: true, imported: 1, unchanged: 0, errors: [] });
    const d = (await h.call('GET', '/v1/dossiers/000.20.17.H55-260302-0001')).json();
    expect(d).toMatchObject({
      status: 'returned',
      timeliness: 'early',
      receivedAt: '2026-03-02T02:00:00.000Z',
      endedAt: '2026-03-20T04:00:00.000Z',
    });
    expect(d.payments).toHaveLength(1);
    expect(d.rating.rating).toBe('satisfied');
    const trail = (await h.call('GET', `/v1/dossiers/${d.code}/history`)).json().items;
    expect(trail.map((t: { action: string }) => t.action)).toEqual([
      'receive',
      'assign',
      'request_payment',
      'record_payment',
      'resolve',
      'return',
      'rate',
    ]);
    expect(trail[0]).toMatchObject({ actor: 'mot-cua.an', at: '2026-03-02T02:00:00.000Z' });
    const events = await h.t.db
      .selectFrom('outbox')
      .select(['type', 'occurred_at', 'entity_version'])
      .where('entity_id', '=', d.id)
      .orderBy('occurred_at')
      .execute();
    const types = events.map((e) => e.type);
    expect(types.filter((t) => t === 'dossier.status_changed')).toHaveLength(6);
    for (const t of [
      'dossier.received',
      'dossier.resolved',
      'dossier.returned',
      'dossier.paid',
      'dossier.rated',
    ])
      expect(types).toContain(t);
    const resolved = events.find((e) => e.type === 'dossier.resolved')!;
    expect(resolved.occurred_at.toISOString()).toBe('2026-03-20T04:00:00.000Z');
    expect(resolved.entity_version).toBe(5);
  });

  it('changes nothing when the same file comes again', async () => {
    const res = await post({ sourceSystem: 'motcua-cu', dossiers: [resolvedEarly('1')] });
    expect(res.json()).toMatchObject({ applied: true, imported: 0, unchanged: 1 });
  });

  it('changes nothing on a dry run', async () => {
    const res = await post({ sourceSystem: 'motcua-cu', dossiers: [resolvedEarly('7')] }, '?dryRun=true');
    expect(res.json()).toMatchObject({ dryRun: true, applied: false, imported: 1 });
    expect((await h.call('GET', '/v1/dossiers/000.20.17.H55-260302-0007')).statusCode).toBe(404);
  });

  it('reads the CSV layout, one row per dossier', async () => {
    const csv = [
      'sourceId,code,procedureCode,channel,applicantName,applicantPhone,receivedAt,dueAt,history,eResult,resultDigitized,returnMethod,returnTrackingNumber',
      '"9","000.20.17.H55-260302-0009","1.004579","direct","Lê Thị Mai","0912000999","2026-03-02T02:00:00Z","2026-03-23T10:00:00Z","received|2026-03-02T02:00:00Z;processing|2026-03-03T02:00:00Z;resolved|2026-03-24T02:00:00Z","false","true","desk",""',
    ].join('\n');
    const res = await post(csv, '?sourceSystem=motcua-cu', 'text/csv');
    expect(res.json()).toMatchObject({ applied: true, imported: 1 });
    expect((await h.call('GET', '/v1/dossiers/000.20.17.H55-260302-0009')).json()).toMatchObject({
      status: 'resolved',
      timeliness: 'late',
    });
  });
});

describe('the clock of an imported dossier', () => {
  const outbox = async (id: string, type: string) =>
    (
      await h.t.db
        .selectFrom('outbox')
        .select(['payload', 'occurred_at'])
        .where('entity_id', '=', id)
        .where('type', '=', type)
        .orderBy('occurred_at')
        .execute()
    ).map((r): Record<string, unknown> => ({
      at: r.occurred_at.toISOString(),
      ...(r.payload as Record<string, unknown>),
    }));

  it('keeps the original due date of a rescheduled open dossier, which is overdue at the end of the quarter', async () => {
    // Received Mon 2/3/2026, due Mon 23/3; the apology on Fri 20/3 moved it to Fri 3/4; still in progress.
    const res = await post({
      sourceSystem: 'motcua-cu',
      dossiers: [
        {
          ...resolvedEarly('21'),
          dueAt: '2026-04-03T10:00:00Z',
          originalDueAt: '2026-03-23T10:00:00Z',
          rescheduledAt: '2026-03-20T03:00:00Z',
          rescheduleReason: 'Chờ ý kiến Bộ Y tế',
          history: [
            { status: 'received', at: '2026-03-02T02:00:00Z' },
            { status: 'processing', at: '2026-03-02T07:00:00Z' },
          ],
          payments: [],
          rating: undefined,
          result: undefined,
          returnInfo: undefined,
        },
      ],
    });
    expect(res.json()).toMatchObject({ applied: true, imported: 1, notes: [] });
    const row = await h.t.db
      .selectFrom('dossiers')
      .selectAll()
      .where('code', '=', '000.20.17.H55-260302-0021')
      .executeTakeFirstOrThrow();
    expect(row.due_at?.toISOString()).toBe('2026-04-03T10:00:00.000Z');
    expect(row.original_due_at?.toISOString()).toBe('2026-03-23T10:00:00.000Z');
    // Judged at the end of Q1 against its original date, not the rescheduled one.
    expect(isOverdueAt(judgedDueDate(row)!, '2026-03-31')).toBe(true);
    expect(await outbox(row.id, 'dossier.received')).toEqual([
      expect.objectContaining({
        dueAt: '2026-03-23T10:00:00.000Z',
        originalDueAt: '2026-03-23T10:00:00.000Z',
      }),
    ]);
    expect(await outbox(row.id, 'dossier.rescheduled')).toEqual([
      expect.objectContaining({
        at: '2026-03-20T03:00:00.000Z',
        originalDueAt: '2026-03-23T10:00:00.000Z',
        newDueAt: '2026-04-03T10:00:00.000Z',
      }),
    ]);
    const statuses = await outbox(row.id, 'dossier.status_changed');
    expect(statuses.map((e) => e['legalDueAt'])).toEqual([
      '2026-03-23T10:00:00.000Z',
      '2026-03-23T10:00:00.000Z',
    ]);
  });

  it('computes the due date the source did not give, says so on the row, and restarts it after a supplement', async () => {
    const { dueAt: _omitted, ...noDue } = resolvedEarly('22');
    const res = await post({
      sourceSystem: 'motcua-cu',
      dossiers: [
        {
          ...noDue,
          history: [
            { status: 'received', at: '2026-03-02T02:00:00Z' },
            { status: 'awaiting_supplement', at: '2026-03-04T02:00:00Z' },
            { status: 'processing', at: '2026-03-06T02:00:00Z' },
            { status: 'resolved', at: '2026-03-25T02:00:00Z' },
          ],
          supplements: [
            {
              requestedAt: '2026-03-04T02:00:00Z',
              completedAt: '2026-03-06T02:00:00Z',
              reason: 'Thiếu',
              items: ['Văn bằng'],
            },
          ],
          payments: [],
          rating: undefined,
          returnInfo: undefined,
        },
      ],
    });
    expect(res.json()).toMatchObject({ applied: true, imported: 1 });
    expect(res.json().notes).toEqual([expect.objectContaining({ row: 1, column: 'dueAt' })]);
    const row = await h.t.db
      .selectFrom('dossiers')
      .selectAll()
      .where('code', '=', '000.20.17.H55-260302-0022')
      .executeTakeFirstOrThrow();
    // Computed at receipt: 15 working days from Mon 2/3 → Mon 23/3; restarted from Fri 6/3 → Fri 27/3.
    expect(row.original_due_at?.toISOString()).toBe('2026-03-23T10:00:00.000Z');
    expect(row.legal_due_at?.toISOString()).toBe('2026-03-27T10:00:00.000Z');
    expect(row.timeliness).toBe('early'); // resolved Wed 25/3, before the restarted date
    expect(await outbox(row.id, 'dossier.supplement_completed')).toEqual([
      expect.objectContaining({
        dueAt: '2026-03-27T10:00:00.000Z',
        legalDueAt: '2026-03-27T10:00:00.000Z',
        waitedWorkingDays: 2,
      }),
    ]);
  });

  it('refuses a rescheduled dossier without the time of the apology', async () => {
    const res = await post({
      sourceSystem: 'motcua-cu',
      dossiers: [{ ...resolvedEarly('23'), originalDueAt: '2026-03-20T10:00:00Z' }],
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([expect.objectContaining({ row: 1, column: 'rescheduledAt' })]);
  });
});
