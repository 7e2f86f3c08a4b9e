import { sql, type Kysely } from 'kysely';

/**
 * The officer message for a scheduled report that is ready (the reports service's report.ready
 * event): its default e-mail and webhook templates, version 1, editable like every template.
 */
export const REPORT_READY_SUBJECT = '[Báo cáo] {{reportTitle}} kỳ {{period}} đã sẵn sàng';
export const REPORT_READY_BODY =
  'Báo cáo "{{reportTitle}}" kỳ {{period}} của {{agency}} (phiên bản {{version}}) đã được lập theo lịch.\nCác tệp: {{formats}}.\nXem và tải về: {{link}}\n\n(Thư tự động của hệ thống báo cáo)';

export async function up(db: Kysely<any>): Promise<void> {
  for (const channel of ['email', 'webhook'])
    await sql`
      insert into notification_templates (event, channel, version, subject, body, created_by)
      values ('report_ready', ${channel}, 1, ${REPORT_READY_SUBJECT}, ${REPORT_READY_BODY}, 'seed')
      on conflict do nothing`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from notification_templates where event = 'report_ready'`.execute(db);
}
