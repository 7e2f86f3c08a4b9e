import { sql, type Kysely } from 'kysely';

/**
 * The officer message for a scheduled report that failed for good (the reports service's
 * report.failed event): its default e-mail and webhook templates, version 1, editable like every
 * template.
 */
export const REPORT_FAILED_SUBJECT = '[Báo cáo] {{reportTitle}} kỳ {{period}} không lập được';
export const REPORT_FAILED_BODY =
  'Báo cáo "{{reportTitle}}" kỳ {{period}} của {{agency}} (phiên bản {{version}}) lập theo lịch đã không lập được.\nLý do: {{reason}}\nXem chi tiết và yêu cầu lập lại: {{link}}\n\n(Thư tự động của hệ thống báo cáo)';

export async function up(db: Kysely<any>): Promise<void> {
  for (const channel of ['email', 'webhook'])
    await sql`
      insert into notification_templates (event, channel, version, subject, body, created_by)
      values ('report_failed', ${channel}, 1, ${REPORT_FAILED_SUBJECT}, ${REPORT_FAILED_BODY}, 'seed')
      on conflict do nothing`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from notification_templates where event = 'report_failed'`.execute(db);
}
