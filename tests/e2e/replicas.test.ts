import { eventually } from '@tthc/testkit';
import { sql } from 'kysely';
import { startSuite, type Suite } from '../support/suite';
import { FILING } from '../support/filings';

/**
 * Two replicas of every service (each with its relays, consumers and dispatchers) on one database
 * and Redis, each behind its own gateway; dossiers are filed and driven through their lifecycle
 * alternating between the two, and a report is asked of one. Nothing is done twice: one message
 * per dossier, event, channel and recipient, each sent once; every event applied once in kpi; the
 * report rendered once. (Reminders fired by two scanners at the same moment: the intake test
 * notifications-reminders.)
 */

const DOSSIERS = 12;
let suite: Suite;
let now = new Date('2026-01-05T02:00:00Z'); // Monday 5/1/2026, 09:00 in Việt Nam

beforeAll(async () => {
  suite = await startSuite(() => now, { demoCatalogue: true, replicas: 2 });
}, 120_000);
afterAll(() => suite.close());

const via = (replica: number) => suite.urls[replica % suite.urls.length]!;

async function call(base: string, method: string, path: string, body?: unknown, headers = {}) {
  const res = await fetch(base + path, {
    method,
    headers: {
      ...suite.adminHeaders,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    etag: res.headers.get('etag') ?? '',
    body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined,
  };
}

async function act(replica: number, code: string, action: string, body: unknown = {}) {
  const current = await call(via(replica), 'GET', `/v1/dossiers/${code}`);
  const res = await call(via(replica), 'POST', `/v1/dossiers/${code}/${action}`, body, {
    'if-match': current.etag,
  });
  expect({ code, action, status: res.status }).toEqual({ code, action, status: 200 });
}

describe('two replicas of every service', () => {
  it('file and drive dossiers through either gateway, and nothing is done twice', async () => {
    expect(suite.urls).toHaveLength(2);
    const filing = {
      ...FILING,
      applicant: { ...FILING.applicant, email: 'le.thi.hoa@example.vn' },
    };
    const codes: string[] = [];
    for (let i = 0; i < DOSSIERS; i++) {
      const filed = await eventually(
        async () => {
          const r = await call(via(i), 'POST', '/v1/dossiers', filing);
          return r.status === 201 ? (r.body as { code: string }) : undefined;
        },
        { what: 'intake to know the demo procedure', timeoutMs: 30_000 },
      );
      codes.push(filed.code);
    }
    now = new Date('2026-01-06T02:00:00Z');
    for (const [i, code] of codes.entries()) {
      await act(i + 1, code, 'request-supplement', { reason: 'Thiếu giấy tờ', items: ['Sơ yếu lý lịch'] });
      await act(i, code, 'complete-supplement');
    }
    now = new Date('2026-01-08T02:00:00Z');
    for (const [i, code] of codes.entries()) {
      await act(i + 1, code, 'resolve', { resultNumber: `${i + 1}/QĐ-SYT` });
      await act(i, code, 'return', { method: 'desk' });
    }

    const intakeDb = suite.resources.dbFor<any>('intake');
    const kpiDb = suite.resources.dbFor<any>('kpi');
    const ids = (
      await sql<{ id: string }>`select id from dossiers where code in (${sql.join(codes)})`.execute(intakeDb)
    ).rows.map((r) => r.id);
    expect(ids).toHaveLength(DOSSIERS);

    // Every event of these dossiers applied in kpi, each once, and their facts complete.
    const emitted = Number(
      (
        await sql<{ n: string }>`
          select count(*) as n from outbox where entity_id in (${sql.join(ids)})`.execute(intakeDb)
      ).rows[0]!.n,
    );
    expect(emitted).toBeGreaterThanOrEqual(DOSSIERS * 6);
    await eventually(
      async () => {
        const r = await sql<{ n: string; returned: string }>`
          select (select count(*) from dossier_events where dossier_id in (${sql.join(ids)})) as n,
                 (select count(*) from dossiers where code in (${sql.join(codes)}) and returned_at is not null) as returned`.execute(
          kpiDb,
        );
        return Number(r.rows[0]!.n) === emitted && Number(r.rows[0]!.returned) === DOSSIERS
          ? true
          : undefined;
      },
      { what: 'kpi to apply every event', timeoutMs: 60_000 },
    );
    const received = await sql<{ n: string | null }>`
      select sum(received) as n from rollup_received_daily`.execute(kpiDb);
    expect(Number(received.rows[0]!.n)).toBe(DOSSIERS);

    // One message per dossier, event, channel and recipient; each one sent once.
    await eventually(
      async () => {
        const r = await sql<{ n: string }>`
          select count(*) as n from notification_messages
          where dossier_code in (${sql.join(codes)}) and status in ('queued', 'failed')`.execute(intakeDb);
        return Number(r.rows[0]!.n) === 0 ? true : undefined;
      },
      { what: 'every message to be sent', timeoutMs: 60_000 },
    );
    const twice = await sql<{ dossier_code: string; event: string; channel: string; n: string }>`
      select dossier_code, event, channel, count(*) as n from notification_messages
      where dossier_code in (${sql.join(codes)})
      group by dossier_code, event, channel, audience, recipient_ref having count(*) > 1`.execute(intakeDb);
    expect(twice.rows).toEqual([]);
    const perDossier = await sql<{ n: string }>`
      select count(*) as n from notification_messages where dossier_code = ${codes[0]!}`.execute(intakeDb);
    expect(Number(perDossier.rows[0]!.n)).toBeGreaterThanOrEqual(4); // receipt, supplement, result, return… by SMS and e-mail
    const sentTwice = await sql<{ message_id: string }>`
      select l.message_id from notification_message_log l
      join notification_messages m on m.id = l.message_id
      where m.dossier_code in (${sql.join(codes)}) and l.kind = 'attempt' and l.outcome = 'sent'
      group by l.message_id having count(*) > 1`.execute(intakeDb);
    expect(sentTwice.rows).toEqual([]);

    // A report asked of one gateway is collected and rendered once, and reads the same from the other.
    now = new Date('2026-04-02T02:00:00Z');
    const requested = await call(via(0), 'POST', '/v1/reports', {
      kind: 'dossier-statistics',
      params: { period: '2026-Q1' },
    });
    expect(requested.status).toBe(202);
    const done = await eventually(
      async () => {
        const r = await call(via(1), 'GET', `/v1/reports/${requested.body.id}`);
        if (r.body?.status === 'failed') throw new Error(`report failed: ${JSON.stringify(r.body)}`);
        return r.body?.status === 'done' ? r.body : undefined;
      },
      { what: 'the report to be done', timeoutMs: 60_000 },
    );
    expect(done.files.length).toBeGreaterThan(0);
    // Its figures count each dossier once: received in the quarter, and every one resolved.
    const json = await call(via(1), 'GET', `/v1/reports/${requested.body.id}/files/json`);
    expect(json.status).toBe(200);
    const total = json.body.figures.statisticsTable.total.figures;
    expect({ received: total.received, resolved: total.resolved }).toEqual({
      received: DOSSIERS,
      resolved: DOSSIERS,
    });
  }, 240_000);
});
