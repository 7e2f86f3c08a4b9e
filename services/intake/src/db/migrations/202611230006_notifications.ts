import { sql, type Kysely } from 'kysely';

/**
 * Citizen notifications and officer reminders: versioned templates, agency switches and options,
 * applicant channel preferences, officer contacts, the messages with their delivery state and
 * trail, and the sent-logs that make each reminder fire once. Templates are seeded with the
 * department's Vietnamese defaults (version 1, editable through the API).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table notification_templates (
      id bigserial primary key,
      event text not null, channel text not null check (channel in ('sms','email','webhook')),
      version integer not null check (version > 0),
      subject text, body text not null, note text,
      created_by text not null, created_at timestamptz not null default now(),
      unique (event, channel, version))`.execute(db);
  // Each edit is a new version; a message records the version it used, so versions never change.
  await appendOnly(db, 'notification_templates');

  await sql`
    create table notification_agency_settings (
      agency_code text primary key,
      sms_unaccented boolean not null default false,
      result_place text,
      reminder_windows integer[] check (reminder_windows is null or 0 <= all(reminder_windows)),
      updated_by text not null, updated_at timestamptz not null)`.execute(db);
  await sql`
    create table notification_switches (
      agency_code text not null, event text not null,
      channel text not null check (channel in ('sms','email','webhook')),
      enabled boolean not null, updated_by text not null, updated_at timestamptz not null,
      primary key (agency_code, event, channel))`.execute(db);
  await sql`
    create table notification_procedure_settings (
      procedure_code text primary key,
      reminder_windows integer[] not null check (0 <= all(reminder_windows)),
      updated_by text not null, updated_at timestamptz not null)`.execute(db);
  await sql`
    create table notification_preferences (
      dossier_id uuid primary key references dossiers(id),
      channels text[] not null check (channels <@ array['sms','email','webhook']),
      updated_by text not null, updated_at timestamptz not null)`.execute(db);
  await sql`
    create table officer_contacts (
      officer text primary key, full_name text not null, agency_code text not null, unit text,
      unit_head boolean not null default false, email text,
      channels text[] not null default array['email'] check (channels <@ array['email','webhook']),
      active boolean not null default true, updated_by text not null, updated_at timestamptz not null)`.execute(
    db,
  );
  await sql`create index officer_contacts_unit_idx on officer_contacts (unit) where unit_head and active`.execute(
    db,
  );

  await sql`
    create table notification_messages (
      id uuid primary key,
      seq bigserial not null,
      dedupe_key text not null unique,
      audience text not null check (audience in ('citizen','officer')),
      dossier_id uuid references dossiers(id), dossier_code text,
      agency_code text not null, event text not null,
      channel text not null check (channel in ('sms','email','webhook')),
      recipient_role text not null check (recipient_role in ('applicant','officer','unit_head')),
      recipient_ref text, destination text not null,
      template_version integer not null, subject text, body text not null,
      status text not null check (status in ('queued','sent','delivered','failed','permanently_failed')),
      attempts integer not null default 0, send_round integer not null default 0,
      provider text, provider_message_id text, last_error text,
      enqueued_at timestamptz, created_at timestamptz not null,
      sent_at timestamptz, delivered_at timestamptz, failed_at timestamptz, permanently_failed_at timestamptz,
      alert_acknowledged_at timestamptz, alert_acknowledged_by text,
      updated_at timestamptz not null)`.execute(db);
  await sql`create index notification_messages_dossier_idx on notification_messages (dossier_id, created_at, seq)`.execute(
    db,
  );
  // The dispatcher only ever scans messages not yet handed to a send queue.
  await sql`create index notification_messages_pending_idx on notification_messages (seq) where status in ('queued','failed') and enqueued_at is null`.execute(
    db,
  );
  // ... and the sweep, messages in flight (a lost job is found by its age).
  await sql`create index notification_messages_inflight_idx on notification_messages (enqueued_at) where status in ('queued','failed')`.execute(
    db,
  );
  await sql`create index notification_messages_provider_idx on notification_messages (provider, provider_message_id) where provider_message_id is not null`.execute(
    db,
  );
  await sql`create index notification_messages_alert_idx on notification_messages (permanently_failed_at desc, id desc) where status = 'permanently_failed'`.execute(
    db,
  );

  await sql`
    create table notification_message_log (
      id bigserial primary key, message_id uuid not null references notification_messages(id),
      at timestamptz not null, kind text not null check (kind in ('attempt','callback','retry','acknowledge')),
      provider text, outcome text not null, detail text)`.execute(db);
  await sql`create index notification_message_log_message_idx on notification_message_log (message_id, id)`.execute(
    db,
  );
  await appendOnly(db, 'notification_message_log');

  // Once per dossier, window and due date: a moved due date opens new windows.
  await sql`
    create table notification_reminder_log (
      dossier_id uuid not null references dossiers(id), kind text not null, due_date date not null,
      sent_at timestamptz not null, primary key (dossier_id, kind, due_date))`.execute(db);
  await sql`
    create table notification_digest_log (
      agency_code text not null, unit text not null, day date not null, sent_at timestamptz not null,
      primary key (agency_code, unit, day))`.execute(db);

  const rows = SEED.map(
    ([event, channel, subject, body]) => sql`(${event}, ${channel}, 1, ${subject}, ${body}, 'seed')`,
  );
  await sql`insert into notification_templates (event, channel, version, subject, body, created_by) values ${sql.join(rows)}`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'notification_digest_log',
    'notification_reminder_log',
    'notification_message_log',
    'notification_messages',
    'officer_contacts',
    'notification_preferences',
    'notification_procedure_settings',
    'notification_switches',
    'notification_agency_settings',
    'notification_templates',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}

/** refuse_change() comes from 202611230001_init. */
async function appendOnly(db: Kysely<any>, table: string): Promise<void> {
  await sql
    .raw(
      `create trigger ${table}_append_only before update or delete on ${table} for each row execute function refuse_change()`,
    )
    .execute(db);
}

const letter = (lines: string): string => `Kính gửi ông/bà,\n\n${lines}\n\nTrân trọng,\nSở Y tế`;
const memo = (lines: string): string =>
  `${lines}\n\nTra cứu hồ sơ: {{trackingLink}}\n(Thư tự động của hệ thống một cửa điện tử)`;

/** Citizen messages: the SMS text (also the webhook text), the e-mail subject and body. */
const CITIZEN: [event: string, sms: string, subject: string, email: string][] = [
  [
    'received',
    'Hồ sơ {{dossierCode}} ({{procedureName}}) đã được tiếp nhận ngày {{receivedDate}}. Hẹn trả kết quả ngày {{dueDate}}. Tra cứu: {{trackingLink}}',
    'Hồ sơ {{dossierCode}} đã được tiếp nhận',
    letter(
      'Hồ sơ {{dossierCode}} ({{procedureName}}) đã được tiếp nhận ngày {{receivedDate}}.\nNgày hẹn trả kết quả: {{dueDate}}.\nÔng/bà tra cứu tình trạng hồ sơ tại: {{trackingLink}}',
    ),
  ],
  [
    'supplement_requested',
    'Hồ sơ {{dossierCode}} cần bổ sung: {{items}}. Lý do: {{reason}}. Tra cứu: {{trackingLink}}',
    'Hồ sơ {{dossierCode}} cần bổ sung giấy tờ',
    letter(
      'Hồ sơ {{dossierCode}} ({{procedureName}}) cần bổ sung, hoàn thiện các giấy tờ sau:\n{{items}}\nLý do: {{reason}}.\nThời hạn giải quyết được tính lại từ ngày nhận đủ hồ sơ bổ sung.\nTra cứu: {{trackingLink}}',
    ),
  ],
  [
    'payment_requested',
    'Hồ sơ {{dossierCode}}: đề nghị ông/bà nộp {{amount}} ({{reason}}) để tiếp tục giải quyết. Tra cứu: {{trackingLink}}',
    'Hồ sơ {{dossierCode}}: đề nghị thực hiện nghĩa vụ tài chính',
    letter(
      'Để tiếp tục giải quyết hồ sơ {{dossierCode}} ({{procedureName}}), đề nghị ông/bà nộp {{amount}} ({{reason}}).\nÔng/bà có thể nộp trực tuyến hoặc tại nơi tiếp nhận hồ sơ.\nTra cứu: {{trackingLink}}',
    ),
  ],
  [
    'rescheduled',
    'Sở Y tế xin lỗi ông/bà: hồ sơ {{dossierCode}} chưa thể trả kết quả đúng hẹn ngày {{dueDate}}. Lý do: {{reason}}. Hẹn trả lại ngày {{newDate}}.',
    'Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ {{dossierCode}}',
    letter(
      'Sở Y tế xin lỗi ông/bà vì hồ sơ {{dossierCode}} ({{procedureName}}) chưa thể trả kết quả đúng hẹn ngày {{dueDate}}.\nLý do: {{reason}}.\nNgày hẹn trả kết quả mới: {{newDate}}.\nTra cứu: {{trackingLink}}',
    ),
  ],
  [
    'result_ready',
    'Hồ sơ {{dossierCode}} ({{procedureName}}) đã có kết quả. Mời ông/bà nhận tại: {{resultPlace}}. Tra cứu: {{trackingLink}}',
    'Hồ sơ {{dossierCode}} đã có kết quả',
    letter(
      'Hồ sơ {{dossierCode}} ({{procedureName}}) đã có kết quả.\nMời ông/bà nhận kết quả tại: {{resultPlace}}.\nKhi đến nhận, vui lòng mang theo giấy tiếp nhận hồ sơ và hẹn trả kết quả.\nTra cứu: {{trackingLink}}',
    ),
  ],
  [
    'returned_by_post',
    'Kết quả hồ sơ {{dossierCode}} đã được gửi qua bưu chính công ích, mã bưu gửi {{trackingNumber}}.',
    'Kết quả hồ sơ {{dossierCode}} đã được gửi qua bưu chính',
    letter(
      'Kết quả giải quyết hồ sơ {{dossierCode}} ({{procedureName}}) đã được gửi qua dịch vụ bưu chính công ích.\nMã bưu gửi: {{trackingNumber}}.',
    ),
  ],
  [
    'refused',
    'Hồ sơ {{dossierCode}} ({{procedureName}}) không được tiếp nhận. Lý do: {{reason}}. Tra cứu: {{trackingLink}}',
    'Hồ sơ {{dossierCode}} không được tiếp nhận',
    letter(
      'Hồ sơ {{dossierCode}} ({{procedureName}}) không được tiếp nhận.\nLý do: {{reason}}.\nTra cứu: {{trackingLink}}',
    ),
  ],
  [
    'stopped',
    'Hồ sơ {{dossierCode}} ({{procedureName}}) đã dừng xử lý. Lý do: {{reason}}. Tra cứu: {{trackingLink}}',
    'Hồ sơ {{dossierCode}} dừng xử lý',
    letter(
      'Hồ sơ {{dossierCode}} ({{procedureName}}) đã dừng xử lý.\nLý do: {{reason}}.\nTra cứu: {{trackingLink}}',
    ),
  ],
];

/** Officer reminders: the subject and body (e-mail and webhook). */
const OFFICER: [event: string, subject: string, body: string][] = [
  [
    'reminder_window',
    '[Nhắc hạn] Hồ sơ {{dossierCode}} còn {{daysLeft}} ngày làm việc',
    memo(
      'Hồ sơ {{dossierCode}} ({{procedureName}}) đang xử lý tại {{unit}} (cán bộ: {{officer}}) đến hạn trả kết quả ngày {{dueDate}}, còn {{daysLeft}} ngày làm việc.\nNếu không kịp trả đúng hẹn, văn bản xin lỗi và hẹn lại (Mẫu 04) phải gửi công dân trước ngày hẹn.',
    ),
  ],
  [
    'reminder_due_today',
    '[Đến hạn] Hồ sơ {{dossierCode}} đến hạn trả kết quả hôm nay',
    memo(
      'Hồ sơ {{dossierCode}} ({{procedureName}}) đang xử lý tại {{unit}} (cán bộ: {{officer}}) đến hạn trả kết quả hôm nay, ngày {{dueDate}}.',
    ),
  ],
  [
    'reminder_overdue',
    '[Quá hạn] Hồ sơ {{dossierCode}} đã quá hạn {{daysOverdue}} ngày làm việc',
    memo(
      'Hồ sơ {{dossierCode}} ({{procedureName}}) đang xử lý tại {{unit}} (cán bộ: {{officer}}) đã quá hạn trả kết quả ngày {{dueDate}} ({{daysOverdue}} ngày làm việc).',
    ),
  ],
  [
    'reminder_apology_deadline',
    '[Hạn xin lỗi] Hồ sơ {{dossierCode}}: hạn cuối gửi văn bản xin lỗi, hẹn lại',
    memo(
      'Hồ sơ {{dossierCode}} ({{procedureName}}) hẹn trả kết quả ngày {{dueDate}}. Nếu không kịp trả đúng hẹn, văn bản xin lỗi và hẹn lại ngày trả (Mẫu 04) phải gửi công dân chậm nhất ngày {{apologyDeadline}}.',
    ),
  ],
  [
    'digest',
    '[Tổng hợp {{date}}] {{unit}}: {{overdueCount}} quá hạn, {{dueTodayCount}} đến hạn hôm nay, {{dueSoonCount}} sắp đến hạn',
    'Các hồ sơ của {{unit}} cần lưu ý ngày {{date}} ({{total}} hồ sơ):\n{{items}}\n\n(Thư tự động của hệ thống một cửa điện tử)',
  ],
];

const SEED: [event: string, channel: string, subject: string | null, body: string][] = [
  ...CITIZEN.flatMap(([event, sms, subject, email]): [string, string, string | null, string][] => [
    [event, 'sms', null, sms],
    [event, 'email', subject, email],
    [event, 'webhook', subject, sms],
  ]),
  ...OFFICER.flatMap(([event, subject, body]): [string, string, string | null, string][] => [
    [event, 'email', subject, body],
    [event, 'webhook', subject, body],
  ]),
];
