import { createCalendar, vnInstant } from '@tthc/calendar';
import { NotificationConfig, notificationConfigIssues } from '../../src/notifications';
import {
  applicantAddresses,
  citizenDestinations,
  switchOn,
} from '../../src/notifications/domain/channel-choice';
import { statusNotice, tooLateToTell } from '../../src/notifications/domain/citizen-notices';
import { canMove, CALLBACK_TARGET, statusesBelow } from '../../src/notifications/domain/delivery-status';
import { maskDestination, sanitizeError } from '../../src/notifications/domain/mask';
import { digestClass, remindersDue } from '../../src/notifications/domain/reminder-windows';
import { checkSms, smsLength, unaccent } from '../../src/notifications/domain/sms-segments';
import { formatAmount, render, templateProblems } from '../../src/notifications/domain/template-render';
import { gatewayPhone } from '../../src/notifications/providers/sms-http.provider';

describe('SMS length', () => {
  it('fits 160 GSM-7 characters in one message and splits longer text into parts of 153', () => {
    expect(smsLength('a'.repeat(160))).toMatchObject({ encoding: 'GSM-7', segments: 1, perSegment: 160 });
    expect(smsLength('a'.repeat(161))).toMatchObject({ encoding: 'GSM-7', segments: 2, perSegment: 153 });
    expect(smsLength('a'.repeat(306)).segments).toBe(2);
    expect(smsLength('a'.repeat(307)).segments).toBe(3);
  });

  it('counts characters of the GSM extension table twice', () => {
    expect(smsLength('€[]').units).toBe(6);
    expect(smsLength(`${'a'.repeat(159)}€`)).toMatchObject({ units: 161, segments: 2 });
  });

  it('switches Vietnamese with diacritics to UCS-2: 70 characters, 67 per part', () => {
    expect(smsLength('Hồ sơ đã được tiếp nhận')).toMatchObject({
      encoding: 'UCS-2',
      segments: 1,
      perSegment: 70,
    });
    expect(smsLength('ồ'.repeat(70)).segments).toBe(1);
    expect(smsLength('ồ'.repeat(71))).toMatchObject({ segments: 2, perSegment: 67 });
    expect(smsLength('ồ'.repeat(135)).segments).toBe(3);
    expect(smsLength('Hồ sơ').nonGsmCharacters).toEqual(['ồ', 'ơ']);
  });

  it('keeps the Western accents GSM-7 has (é, à, ü) in GSM-7', () => {
    expect(smsLength('Café à Hà Nội').encoding).toBe('UCS-2');
    expect(smsLength('Café à Munich über').encoding).toBe('GSM-7');
  });

  it('strips Vietnamese diacritics, đ and Đ included, for agencies that send unaccented SMS', () => {
    expect(unaccent('Đường Nguyễn Huệ, phường Hải Châu, Đà Nẵng: đã được tiếp nhận')).toBe(
      'Duong Nguyen Hue, phuong Hai Chau, Da Nang: da duoc tiep nhan',
    );
    expect(unaccent('Ơ Ư ơ ư ỳ Ỹ')).toBe('O U o u y Y');
    expect(smsLength(unaccent('Hồ sơ đã được tiếp nhận')).encoding).toBe('GSM-7');
  });

  it('warns about UCS-2 and multi-part messages, with the unaccented length for comparison', () => {
    const check = checkSms('Hồ sơ '.repeat(20));
    expect(check.warnings).toHaveLength(2);
    expect(check.unaccented).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(checkSms('Ho so da duoc tiep nhan').warnings).toEqual([]);
  });
});

describe('templates', () => {
  it('fills placeholders, spaces inside the braces allowed', () => {
    expect(
      render('Hồ sơ {{ dossierCode }} hẹn {{dueDate}}', { dossierCode: 'A-1', dueDate: '14/12/2026' }),
    ).toBe('Hồ sơ A-1 hẹn 14/12/2026');
  });

  it('names every placeholder the message kind does not fill, and stray braces', () => {
    expect(templateProblems('received', { subject: null, body: '{{dossierCode}} {{reason}}' })).toEqual([
      { pointer: '/body', detail: expect.stringContaining('{{reason}} is not filled for received') },
    ]);
    expect(templateProblems('refused', { subject: '{{dossierCode}}', body: 'Lý do: {{reason}}' })).toEqual(
      [],
    );
    expect(templateProblems('received', { subject: null, body: 'hẹn {{dueDate}' })).toEqual([
      { pointer: '/body', detail: expect.stringContaining('unbalanced') },
    ]);
  });

  it('writes amounts in đồng with dots between thousands', () => {
    expect(formatAmount(1500000)).toBe('1.500.000 đồng');
    expect(formatAmount(500)).toBe('500 đồng');
  });
});

describe('personal data', () => {
  it('masks phones and e-mails, leaves recipient ids', () => {
    expect(maskDestination('0912345678')).toBe('09******78');
    expect(maskDestination('an.nguyen@example.vn')).toBe('a***@example.vn');
    expect(maskDestination('officer:cv.duoc')).toBe('officer:cv.duoc');
  });

  it('masks numbers and addresses a provider quotes in its errors', () => {
    expect(sanitizeError('550 <an@example.vn>: no mailbox; phone 0912 345 678 invalid')).toBe(
      '550 <a***@example.vn>: no mailbox; phone 09******78 invalid',
    );
  });

  it('formats the phone the way each gateway wants it', () => {
    expect(gatewayPhone('0912345678', 'international')).toBe('84912345678');
    expect(gatewayPhone('+84912345678', 'local')).toBe('0912345678');
  });
});

describe('delivery states', () => {
  it('only moves forward: delivered is never followed by sent or failed', () => {
    expect(canMove('sent', 'delivered')).toBe(true);
    expect(canMove('delivered', 'sent')).toBe(false);
    expect(canMove('delivered', 'permanently_failed')).toBe(false);
    expect(canMove('permanently_failed', 'delivered')).toBe(true);
    expect(statusesBelow(CALLBACK_TARGET.sent)).toEqual(['queued', 'failed']);
  });
});

describe('who hears what', () => {
  it('uses the agency switch, then the department default, then the built-in (webhook off)', () => {
    const rows = [
      { agency_code: 'default', event: 'received', channel: 'webhook' as const, enabled: true },
      { agency_code: 'A', event: 'received', channel: 'webhook' as const, enabled: false },
    ];
    expect(switchOn(rows, 'A', 'received', 'webhook')).toBe(false);
    expect(switchOn(rows, 'B', 'received', 'webhook')).toBe(true);
    expect(switchOn(rows, 'B', 'refused', 'webhook')).toBe(false);
    expect(switchOn(rows, 'B', 'refused', 'sms')).toBe(true);
  });

  it("keeps to the applicant's choice and the addresses the dossier holds", () => {
    const on = () => true;
    const both = applicantAddresses({ email: 'a@b.vn', idNumber: '001085012345' }, '0912345678');
    expect(citizenDestinations('received', both, null, on, 'C-1').map((d) => d.channel)).toEqual([
      'sms',
      'email',
      'webhook',
    ]);
    expect(citizenDestinations('received', both, ['email'], on, 'C-1')).toEqual([
      { channel: 'email', destination: 'a@b.vn' },
    ]);
    expect(citizenDestinations('received', applicantAddresses({}, null), null, on, 'C-1')).toEqual([
      { channel: 'webhook', destination: 'dossier:C-1' },
    ]);
  });

  it('finds the amount and reason the officer typed in the trail entry of the change', () => {
    expect(statusNotice('awaiting_payment', { input: { amount: 500000, reason: 'Phí thẩm định' } })).toEqual({
      event: 'payment_requested',
      data: { amount: '500.000 đồng', reason: 'Phí thẩm định' },
    });
    expect(statusNotice('stopped', { input: { reason: 'Không đủ điều kiện' } })).toEqual({
      event: 'stopped',
      data: { reason: 'Không đủ điều kiện' },
    });
    expect(statusNotice('processing', {})).toBeNull();
  });

  it('does not tell old news: stale events and history imported from the previous software', () => {
    const now = new Date('2026-11-23T02:00:00Z');
    const live = { sourceSystem: null, createdAt: now };
    expect(tooLateToTell(new Date('2026-11-23T01:00:00Z'), now, 72, live)).toBe(false);
    expect(tooLateToTell(new Date('2026-11-19T01:00:00Z'), now, 72, live)).toBe(true);
    expect(
      tooLateToTell(new Date('2026-11-22T01:00:00Z'), now, 72, { sourceSystem: 'motcua-cu', createdAt: now }),
    ).toBe(true);
  });
});

describe('reminder windows', () => {
  const cal = createCalendar({ overrides: [] });
  const due = vnInstant('2026-12-14', '17:00'); // Monday
  const on = (date: string) => vnInstant(date, '09:00');
  const kinds = (date: string, windows = [2, 0], apology = { noticeDays: 1, canReschedule: true }) =>
    remindersDue(cal, on(date), due, windows, apology).map((r) => r.kind);

  it('opens each window on the working day it is reached, narrowest first', () => {
    expect(kinds('2026-12-09')).toEqual([]);
    expect(kinds('2026-12-10')).toEqual(['window_2']);
    expect(kinds('2026-12-12')).toEqual(['window_2', 'apology_deadline']); // Saturday: 1 working day left
    expect(kinds('2026-12-14')).toEqual(['due_today']);
    expect(kinds('2026-12-15')).toEqual(['overdue']);
    expect(kinds('2026-12-03', [7, 3, 0])).toEqual(['window_7']);
  });

  it('reminds of the apology deadline from the last working day before it, and not once the reschedule is used', () => {
    expect(kinds('2026-12-11')).toContain('apology_deadline');
    expect(kinds('2026-12-10')).not.toContain('apology_deadline');
    expect(kinds('2026-12-11', [2, 0], { noticeDays: 1, canReschedule: false })).not.toContain(
      'apology_deadline',
    );
    expect(kinds('2026-12-14')).not.toContain('apology_deadline');
  });

  it('counts days overdue in working days', () => {
    expect(remindersDue(cal, on('2026-12-21'), due, [2, 0], null)[0]!.data).toEqual({ daysOverdue: '5' });
  });

  it('sorts dossiers for the daily digest', () => {
    expect(digestClass(cal, on('2026-12-10'), due, 2)).toBe('due_soon');
    expect(digestClass(cal, on('2026-12-09'), due, 2)).toBeNull();
    expect(digestClass(cal, on('2026-12-14'), due, 2)).toBe('due_today');
    expect(digestClass(cal, on('2026-12-15'), due, 2)).toBe('overdue');
  });
});

describe('configuration', () => {
  it('runs on the log provider with nothing set, and has no default for any secret', () => {
    const c = NotificationConfig.parse({});
    expect([c.NOTIFY_SMS_PROVIDERS, c.NOTIFY_EMAIL_PROVIDERS, c.NOTIFY_WEBHOOK_PROVIDERS]).toEqual([
      ['log'],
      ['log'],
      ['log'],
    ]);
    expect([
      c.NOTIFY_SMS_GATEWAY_PASSWORD,
      c.NOTIFY_SMTP_PASSWORD,
      c.NOTIFY_WEBHOOK_SECRET,
      c.NOTIFY_CALLBACK_TOKEN,
    ]).toEqual([undefined, undefined, undefined, undefined]);
    expect(notificationConfigIssues(c)).toEqual([]);
  });

  it('names what a chosen provider is missing', () => {
    const c = NotificationConfig.parse({
      NOTIFY_SMS_PROVIDERS: 'sms_gateway,log',
      NOTIFY_WEBHOOK_PROVIDERS: 'webhook',
      NOTIFY_SMS_GATEWAY_BODY_TEMPLATE: '{"to":{{phone}"}',
    });
    expect(notificationConfigIssues(c).map((i) => i.path)).toEqual([
      'NOTIFY_SMS_GATEWAY_URL',
      'NOTIFY_SMS_GATEWAY_BODY_TEMPLATE',
      'NOTIFY_WEBHOOK_URL',
      'NOTIFY_WEBHOOK_SECRET',
    ]);
    expect(() => NotificationConfig.parse({ NOTIFY_SMS_PROVIDERS: 'carrier_pigeon' })).toThrow();
  });
});
