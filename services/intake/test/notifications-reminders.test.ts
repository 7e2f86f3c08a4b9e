import { vnDate, vnInstant } from '@tthc/calendar';
import { queues } from '@tthc/contracts';
import { eventually } from '@tthc/testkit';
import type { IntakeDb } from '../src/db/schema';
import { Queue } from 'bullmq';
import { runReminderScan, startNotificationWorkers, type ScanResult } from '../src/notifications';
import { notificationQueues } from '../src/notifications/workers/notification-queues';
import { withNotifications } from '../src/notifications/db/notification.schema';
import { act, desk } from './harness';
import { startNotifications, startSmtpSink, type NotificationHarness } from './notifications.fixtures';

let n: NotificationHarness;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;

const UNIT = 'Phòng Nghiệp vụ Dược';
const OFFICER = 'cv.duoc';
const HEAD = 'tp.duoc';
/** Local wall-clock instants in Việt Nam. */
const at = (date: string, time = '09:00') => vnInstant(date, time).toISOString();

beforeAll(async () => {
  smtp = await startSmtpSink();
  n = await startNotifications(
    {
      NOTIFY_EMAIL_PROVIDERS: 'smtp',
      NOTIFY_SMTP_HOST: '127.0.0.1',
      NOTIFY_SMTP_PORT: String(smtp.port),
      NOTIFY_SMTP_FROM: 'Một cửa điện tử <nhac-han@syt.example.vn>',
    },
    at('2026-11-23'),
  );
});
afterAll(async () => {
  await n.close();
  await smtp.close();
});

const officerMessages = () =>
  withNotifications(n.h.t.db)
    .selectFrom('notification_messages')
    .selectAll()
    .where('audience', '=', 'officer')
    .orderBy('seq')
    .execute();

/** Runs the scan at a local time, waits until every officer message is sent, and returns the mails that came of it. */
async function scanAt(date: string, time = '09:00'): Promise<{ result: ScanResult; subjects: string[] }> {
  n.h.setNow(at(date, time));
  const mailsBefore = smtp.mails.length;
  const messagesBefore = (await officerMessages()).length;
  const result = await runReminderScan(n.deps);
  await n.workers.dispatchNow();
  const rows = await eventually(async () => {
    const all = await officerMessages();
    return all.every((m) => m.status === 'sent') ? all : undefined;
  });
  const expected = mailsBefore + rows.length - messagesBefore;
  await eventually(async () => (smtp.mails.length >= expected ? true : undefined));
  return {
    result,
    subjects: smtp.mails
      .slice(mailsBefore)
      .map((m) => `${m.to.join(',')} ${m.subject}`)
      .sort(),
  };
}

describe('officer contacts', () => {
  it('keeps who gets reminders, by officer id, with the unit head marked', async () => {
    const officer = await n.h.call('PUT', `/v1/notifications/officer-contacts/${OFFICER}`, {
      fullName: 'Nguyễn Thị Hoa',
      agencyCode: '000.00.17.H55',
      unit: UNIT,
      email: 'hoa@syt.example.vn',
    });
    expect(officer.json()).toMatchObject({
      officer: OFFICER,
      unitHead: false,
      channels: ['email'],
      active: true,
      updatedBy: 'officer-1',
    });
    await n.h.call('PUT', `/v1/notifications/officer-contacts/${HEAD}`, {
      fullName: 'Trần Văn Bình',
      agencyCode: '000.00.17.H55',
      unit: UNIT,
      unitHead: true,
      email: 'binh@syt.example.vn',
    });
    const noEmail = await n.h.call('PUT', '/v1/notifications/officer-contacts/x', {
      fullName: 'X',
      agencyCode: '000.00.17.H55',
      email: null,
    });
    expect(noEmail.json()).toMatchObject({ code: 'email_required' });
    const listed = (
      await n.h.call('GET', `/v1/notifications/officer-contacts?unit=${encodeURIComponent(UNIT)}`)
    ).json();
    expect(listed.items.map((c: { officer: string }) => c.officer)).toEqual([OFFICER, HEAD]);
  });
});

describe('reminders before the due date', () => {
  let code: string;

  beforeAll(async () => {
    n.h.setNow(at('2026-11-23'));
    code = (await n.h.call('POST', '/v1/dossiers', desk())).json().code; // due Mon 14/12/2026
    await act(n.h, code, 'assign', { unit: UNIT, officer: OFFICER });
    await n.pump();
    await n.consumed(code);
  });

  it('stays quiet outside the windows, before office hours and on days off', async () => {
    expect((await scanAt('2026-12-09')).result).toEqual({
      reminders: 0,
      digests: 0,
      messages: 0,
      withoutRecipient: 0,
    }); // 3 working days left
    expect((await scanAt('2026-12-10', '06:00')).result.messages).toBe(0);
  });

  it('fires the 2-working-day warning once to the officer and the unit head, even when two workers scan at the same moment', async () => {
    n.h.setNow(at('2026-12-10'));
    const second = n.h.t.dbFor<IntakeDb>('intake');
    const before = smtp.mails.length;
    const [a, b] = await Promise.all([runReminderScan(n.deps), runReminderScan({ ...n.deps, db: second })]);
    expect(a.reminders + b.reminders).toBe(1);
    expect(a.digests + b.digests).toBe(1);
    expect(a.messages + b.messages).toBe(3);
    await n.workers.dispatchNow();
    await eventually(async () => (smtp.mails.length >= before + 3 ? true : undefined));
    const mails = smtp.mails.slice(before);
    expect(mails.map((m) => `${m.to.join(',')} ${m.subject}`).sort()).toEqual([
      `binh@syt.example.vn [Nhắc hạn] Hồ sơ ${code} còn 2 ngày làm việc`,
      `binh@syt.example.vn [Tổng hợp 10/12/2026] ${UNIT}: 0 quá hạn, 0 đến hạn hôm nay, 1 sắp đến hạn`,
      `hoa@syt.example.vn [Nhắc hạn] Hồ sơ ${code} còn 2 ngày làm việc`,
    ]);
    expect(mails.find((m) => m.subject.startsWith('[Nhắc hạn]'))!.text).toContain(
      `đang xử lý tại ${UNIT} (cán bộ: Nguyễn Thị Hoa) đến hạn trả kết quả ngày 14/12/2026, còn 2 ngày làm việc`,
    );
    expect(mails.find((m) => m.subject.startsWith('[Tổng hợp'))!.text).toContain(
      `- ${code} · Cấp chứng chỉ hành nghề dược · hạn 14/12/2026 · còn 2 ngày làm việc`,
    );

    expect((await scanAt('2026-12-10', '15:00')).result.messages).toBe(0);
  });

  it('reminds of the apology deadline on the last working day before it', async () => {
    // Due Monday: the apology must be made by Sunday 13/12, so Friday is the last working day for it.
    const { result, subjects } = await scanAt('2026-12-11');
    expect(result).toMatchObject({ reminders: 1, digests: 1 });
    expect(subjects).toEqual([
      `binh@syt.example.vn [Hạn xin lỗi] Hồ sơ ${code}: hạn cuối gửi văn bản xin lỗi, hẹn lại`,
      `binh@syt.example.vn [Tổng hợp 11/12/2026] ${UNIT}: 0 quá hạn, 0 đến hạn hôm nay, 1 sắp đến hạn`,
      `hoa@syt.example.vn [Hạn xin lỗi] Hồ sơ ${code}: hạn cuối gửi văn bản xin lỗi, hẹn lại`,
    ]);
    expect((await scanAt('2026-12-13', '10:00')).result.messages).toBe(0); // Sunday
  });

  it('warns on the due date, then once when the dossier becomes overdue', async () => {
    expect((await scanAt('2026-12-14')).subjects).toContain(
      `hoa@syt.example.vn [Đến hạn] Hồ sơ ${code} đến hạn trả kết quả hôm nay`,
    );
    const overdue = await scanAt('2026-12-15');
    expect(overdue.subjects).toEqual([
      `binh@syt.example.vn [Quá hạn] Hồ sơ ${code} đã quá hạn 1 ngày làm việc`,
      `binh@syt.example.vn [Tổng hợp 15/12/2026] ${UNIT}: 1 quá hạn, 0 đến hạn hôm nay, 0 sắp đến hạn`,
      `hoa@syt.example.vn [Quá hạn] Hồ sơ ${code} đã quá hạn 1 ngày làm việc`,
    ]);
    expect((await scanAt('2026-12-16')).subjects.filter((s) => s.includes('[Quá hạn]'))).toEqual([]);
    const fired = await withNotifications(n.h.t.db)
      .selectFrom('notification_reminder_log')
      .select(['kind', 'due_date'])
      .orderBy('sent_at')
      .execute();
    expect(fired).toEqual([
      { kind: 'window_2', due_date: '2026-12-14' },
      { kind: 'apology_deadline', due_date: '2026-12-14' },
      { kind: 'due_today', due_date: '2026-12-14' },
      { kind: 'overdue', due_date: '2026-12-14' },
    ]);
  });

  it("uses a procedure's own windows, and waits for someone to tell rather than marking a reminder sent", async () => {
    const put = await n.h.call('PUT', '/v1/notifications/procedures/1.004579/reminder-windows', {
      reminderWindows: [5, 0],
    });
    expect(put.json()).toMatchObject({ procedureCode: '1.004579', reminderWindows: [0, 5] });
    try {
      n.h.setNow(at('2026-12-16'));
      const later = (await n.h.call('POST', '/v1/dossiers', desk())).json();
      await n.pump();
      await n.consumed(later.code);
      const cal = await n.deps.calendars.get(n.h.t.db);
      const windowDay = cal.addWorkingDays(vnDate(new Date(later.dueAt)), -5);

      const unassigned = await scanAt(windowDay);
      expect(unassigned.result.withoutRecipient).toBeGreaterThanOrEqual(1);
      await act(n.h, later.code, 'assign', { unit: UNIT, officer: OFFICER });
      const assigned = await scanAt(windowDay, '10:00');
      expect(assigned.subjects).toContain(
        `hoa@syt.example.vn [Nhắc hạn] Hồ sơ ${later.code} còn 5 ngày làm việc`,
      );
    } finally {
      await n.h.call('DELETE', '/v1/notifications/procedures/1.004579/reminder-windows');
    }
  });
});

describe('the repeatable scan', () => {
  it('runs the scan on its own schedule in a BullMQ worker', async () => {
    n.h.setNow(at('2026-12-20', '10:00')); // a Sunday: the scan runs and finds nothing to send
    const scheduled = startNotificationWorkers({
      ...n.deps,
      config: { ...n.deps.config, NOTIFY_SCAN_EVERY_MS: 100 },
    });
    const q = new Queue(notificationQueues.scan, { connection: n.h.t.redis, prefix: n.h.t.bus.prefix });
    try {
      const done = await eventually(async () => {
        const [job] = await q.getCompleted(0, 0);
        return job?.returnvalue as ScanResult | undefined;
      });
      expect(done).toEqual({ reminders: 0, digests: 0, messages: 0, withoutRecipient: 0 });
      expect(await q.getJobSchedulersCount()).toBe(1);
    } finally {
      await scheduled.close();
      await q.close();
    }
  });
});

describe('an incremental scan', () => {
  it('looks back two weeks for dossiers to remind, while the first digest of a day still counts every overdue one', async () => {
    // As if the overdue reminder of the dossier due on 14/12 had never gone out (a long outage).
    await withNotifications(n.h.t.db)
      .deleteFrom('notification_reminder_log')
      .where('kind', '=', 'overdue')
      .where('due_date', '=', '2026-12-14')
      .execute();
    const scan = await scanAt('2027-01-05'); // Tue 5/1/2027: 22 days after the due date
    const fired = await withNotifications(n.h.t.db)
      .selectFrom('notification_reminder_log')
      .select(['kind', 'due_date'])
      .where('due_date', '=', '2026-12-14')
      .where('kind', '=', 'overdue')
      .execute();
    expect(fired).toEqual([]);
    expect(scan.subjects.some((s) => /\[Tổng hợp 05\/01\/2027\] .*: [1-9]\d* quá hạn/.test(s))).toBe(true);
  });
});

/** Delivers an event to intake's notification queue twice (a redelivery), each run to completion. */
async function deliverTwice(envelope: { id: string; type: string }): Promise<void> {
  const q = new Queue(queues.intakeNotifications, { connection: n.h.t.redis, prefix: n.h.t.bus.prefix });
  try {
    for (const jobId of ['first', 'again']) {
      const job = await q.add(envelope.type, envelope, { jobId: `${jobId}-${envelope.id}` });
      await eventually(async () =>
        (await (await q.getJob(job.id!))?.getState()) === 'completed' ? true : undefined,
      );
    }
  } finally {
    await q.close();
  }
}

describe('a scheduled report ready (the reports service’s report.ready event)', () => {
  it('tells the schedule’s owner once, by the report_ready template, on the channels of their contact', async () => {
    const OWNER = 'chuyenvien.baocao';
    const contact = await n.h.call('PUT', `/v1/notifications/officer-contacts/${OWNER}`, {
      fullName: 'Lê Thị Thu',
      agencyCode: '000.00.17.H55',
      email: 'thu.baocao@syt.example.vn',
    });
    expect(contact.statusCode).toBe(200);
    const reportId = '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
    const envelope = {
      id: '1d2c3b4a-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
      type: 'report.ready',
      source: 'reports',
      entityId: reportId,
      entityVersion: 1,
      occurredAt: new Date().toISOString(),
      requestId: null,
      schemaVersion: 1,
      payload: {
        reportId,
        scheduleId: '0a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d',
        kind: 'reform-report',
        title: 'BÁO CÁO CÔNG TÁC CẢI CÁCH HÀNH CHÍNH QUÝ 1 NĂM 2026',
        periodLabel: '2026-Q1',
        agencyCode: '000.00.17.H55',
        owner: OWNER,
        version: 1,
        formats: ['xlsx', 'docx', 'pdf'],
        href: `/v1/reports/${reportId}`,
      },
    };
    const mailsBefore = smtp.mails.length;
    await deliverTwice(envelope);
    await n.workers.dispatchNow();
    const mail = await eventually(async () =>
      smtp.mails.slice(mailsBefore).find((m) => m.to.includes('thu.baocao@syt.example.vn')),
    );
    expect(mail.subject).toBe(
      '[Báo cáo] BÁO CÁO CÔNG TÁC CẢI CÁCH HÀNH CHÍNH QUÝ 1 NĂM 2026 kỳ 2026-Q1 đã sẵn sàng',
    );
    expect(mail.text).toContain('Các tệp: XLSX, DOCX, PDF.');
    expect(mail.text).toContain(`Xem và tải về: /v1/reports/${reportId}`);
    const rows = (await officerMessages()).filter((m) => m.event === 'report_ready');
    expect(rows.map((m) => [m.recipient_ref, m.channel, m.dossier_id])).toEqual([[OWNER, 'email', null]]);
  });
});

describe('a scheduled report that failed (the reports service’s report.failed event)', () => {
  it('tells the schedule’s owner why, once, by the report_failed template', async () => {
    const OWNER = 'chuyenvien.baocao2';
    await n.h.call('PUT', `/v1/notifications/officer-contacts/${OWNER}`, {
      fullName: 'Trần Văn Bình',
      agencyCode: '000.00.17.H55',
      email: 'binh.baocao@syt.example.vn',
    });
    const reportId = '7a1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
    const envelope = {
      id: '2e2c3b4a-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
      type: 'report.failed',
      source: 'reports',
      entityId: reportId,
      entityVersion: 1,
      occurredAt: new Date().toISOString(),
      requestId: null,
      schemaVersion: 1,
      payload: {
        reportId,
        scheduleId: '0a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d',
        kind: 'dossier-statistics',
        title: 'Tình hình, kết quả giải quyết thủ tục hành chính (Biểu 06)',
        periodLabel: '2026-Q1',
        agencyCode: '000.00.17.H55',
        owner: OWNER,
        version: 1,
        reason: 'figures unavailable: table: kpi unavailable',
        href: `/v1/reports/${reportId}`,
      },
    };
    const mailsBefore = smtp.mails.length;
    await deliverTwice(envelope);
    await n.workers.dispatchNow();
    const mail = await eventually(async () =>
      smtp.mails.slice(mailsBefore).find((m) => m.to.includes('binh.baocao@syt.example.vn')),
    );
    expect(mail.subject).toBe(
      '[Báo cáo] Tình hình, kết quả giải quyết thủ tục hành chính (Biểu 06) kỳ 2026-Q1 không lập được',
    );
    expect(mail.text).toContain('Lý do: figures unavailable: table: kpi unavailable');
    const rows = (await officerMessages()).filter((m) => m.event === 'report_failed');
    expect(rows.map((m) => [m.recipient_ref, m.channel])).toEqual([[OWNER, 'email']]);
  });
});
