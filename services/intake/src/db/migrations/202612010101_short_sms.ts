import { sql, type Kysely } from 'kysely';

/**
 * Text messages that cost one segment where they can (issue: what the citizen receives). A
 * Vietnamese SMS with its accents is UCS-2, 70 characters a segment (67 when joined); the first
 * defaults named the procedure in full (up to 229 characters in the demo catalogue) and ran to
 * three or four segments. The new defaults leave the procedure and the long lists to the e-mail
 * and the tracking page, so that each fits two UCS-2 segments, and one GSM-7 segment for the
 * common events when the agency sends without accents (notification_agency_settings.sms_unaccented).
 * They become the next version of each SMS template still at its seeded default; a template the
 * department has edited keeps its text. Also a message for a result handed over at the desk or
 * online ('returned'), as one sent by post already has.
 */
export const SHORT_SMS: Record<string, string> = {
  received: 'Hồ sơ tiếp nhận {{receivedDate}}, hẹn trả {{dueDate}}. Tra cứu: {{trackingLink}}',
  supplement_requested: 'Hồ sơ cần bổ sung giấy tờ, xem chi tiết: {{trackingLink}}',
  payment_requested: 'Hồ sơ cần nộp {{amount}} để tiếp tục giải quyết: {{trackingLink}}',
  rescheduled: 'Xin lỗi ông/bà: hồ sơ {{dossierCode}} hẹn trả lại ngày {{newDate}}. Lý do: {{reason}}',
  result_ready: 'Hồ sơ {{dossierCode}} đã có kết quả, nhận tại {{resultPlace}}.',
  returned_by_post: 'Kết quả hồ sơ {{dossierCode}} đã gửi bưu chính, mã bưu gửi {{trackingNumber}}.',
  refused: 'Hồ sơ {{dossierCode}} không được tiếp nhận. Lý do: {{reason}}',
  stopped: 'Hồ sơ {{dossierCode}} dừng xử lý. Lý do: {{reason}}',
  returned: 'Hồ sơ {{dossierCode}} đã trả kết quả ngày {{returnedDate}} ({{returnMethod}}).',
};

const RETURNED_SUBJECT = 'Kết quả hồ sơ {{dossierCode}} đã được trả';
const RETURNED_EMAIL =
  'Kính gửi ông/bà,\n\nKết quả giải quyết hồ sơ {{dossierCode}} ({{procedureName}}) đã được trả ngày {{returnedDate}} ({{returnMethod}}).\nÔng/bà có thể đánh giá mức độ hài lòng và tra cứu hồ sơ tại: {{trackingLink}}\n\nTrân trọng,\nSở Y tế';

export async function up(db: Kysely<any>): Promise<void> {
  for (const [event, body] of Object.entries(SHORT_SMS)) {
    if (event === 'returned') continue;
    await sql`
      insert into notification_templates (event, channel, version, subject, body, note, created_by)
      select event, channel, version + 1, null, ${body}, 'Tin ngắn mặc định (1–2 tin)', 'seed'
        from notification_templates t
       where event = ${event} and channel = 'sms'
         and version = (select max(version) from notification_templates where event = t.event and channel = 'sms')
         and created_by = 'seed'`.execute(db);
  }
  await sql`
    insert into notification_templates (event, channel, version, subject, body, created_by) values
      ('returned', 'sms', 1, null, ${SHORT_SMS['returned']}, 'seed'),
      ('returned', 'email', 1, ${RETURNED_SUBJECT}, ${RETURNED_EMAIL}, 'seed'),
      ('returned', 'webhook', 1, ${RETURNED_SUBJECT}, ${SHORT_SMS['returned']}, 'seed')
    on conflict do nothing`.execute(db);
}
