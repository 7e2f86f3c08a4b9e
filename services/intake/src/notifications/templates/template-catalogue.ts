import type { Audience, Channel } from '../db/notification.schema';

/**
 * Every kind of message the module sends, with the channels it may go on and the placeholders
 * its templates may use. An edit that names another placeholder is refused, so a typo never
 * reaches a citizen as "{{dueDat}}".
 */
export const CITIZEN_EVENTS = [
  'received',
  'supplement_requested',
  'payment_requested',
  'rescheduled',
  'result_ready',
  'returned_by_post',
  'returned',
  'refused',
  'stopped',
] as const;
export const OFFICER_EVENTS = [
  'reminder_window',
  'reminder_due_today',
  'reminder_overdue',
  'reminder_apology_deadline',
  'digest',
  'report_ready',
  'report_failed',
] as const;
export const TEMPLATE_EVENTS = [...CITIZEN_EVENTS, ...OFFICER_EVENTS] as const;
export type CitizenEvent = (typeof CITIZEN_EVENTS)[number];
export type OfficerEvent = (typeof OFFICER_EVENTS)[number];
export type TemplateEvent = (typeof TEMPLATE_EVENTS)[number];

export const CHANNELS = ['sms', 'email', 'webhook'] as const satisfies readonly Channel[];

const CITIZEN_COMMON = ['dossierCode', 'procedureName', 'trackingLink', 'receivedDate', 'dueDate'] as const;
const OFFICER_COMMON = [
  'dossierCode',
  'procedureName',
  'dueDate',
  'unit',
  'officer',
  'trackingLink',
] as const;

export const EVENT_SPECS: Record<
  TemplateEvent,
  { audience: Audience; channels: readonly Channel[]; placeholders: readonly string[]; description: string }
> = {
  received: {
    audience: 'citizen',
    channels: CHANNELS,
    placeholders: CITIZEN_COMMON,
    description: 'Hồ sơ được tiếp nhận (ngày hẹn trả, mã tra cứu)',
  },
  supplement_requested: {
    audience: 'citizen',
    channels: CHANNELS,
    placeholders: [...CITIZEN_COMMON, 'items', 'reason'],
    description: 'Yêu cầu bổ sung hồ sơ (danh sách giấy tờ)',
  },
  payment_requested: {
    audience: 'citizen',
    channels: CHANNELS,
    placeholders: [...CITIZEN_COMMON, 'amount', 'reason'],
    description: 'Yêu cầu thực hiện nghĩa vụ tài chính',
  },
  rescheduled: {
    audience: 'citizen',
    channels: CHANNELS,
    placeholders: [...CITIZEN_COMMON, 'reason', 'newDate'],
    description: 'Xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04)',
  },
  result_ready: {
    audience: 'citizen',
    channels: CHANNELS,
    placeholders: [...CITIZEN_COMMON, 'resultPlace'],
    description: 'Đã có kết quả: nơi và cách nhận',
  },
  returned_by_post: {
    audience: 'citizen',
    channels: CHANNELS,
    placeholders: [...CITIZEN_COMMON, 'trackingNumber'],
    description: 'Kết quả gửi qua bưu chính (mã bưu gửi)',
  },
  returned: {
    audience: 'citizen',
    channels: CHANNELS,
    placeholders: [...CITIZEN_COMMON, 'returnedDate', 'returnMethod'],
    description: 'Đã trả kết quả tại bộ phận một cửa hoặc trực tuyến',
  },
  refused: {
    audience: 'citizen',
    channels: CHANNELS,
    placeholders: [...CITIZEN_COMMON, 'reason'],
    description: 'Hồ sơ không được tiếp nhận (lý do)',
  },
  stopped: {
    audience: 'citizen',
    channels: CHANNELS,
    placeholders: [...CITIZEN_COMMON, 'reason'],
    description: 'Hồ sơ dừng xử lý (lý do)',
  },
  reminder_window: {
    audience: 'officer',
    channels: ['email', 'webhook'],
    placeholders: [...OFFICER_COMMON, 'daysLeft'],
    description: 'Nhắc cán bộ: hồ sơ sắp đến hạn',
  },
  reminder_due_today: {
    audience: 'officer',
    channels: ['email', 'webhook'],
    placeholders: OFFICER_COMMON,
    description: 'Nhắc cán bộ: hồ sơ đến hạn hôm nay',
  },
  reminder_overdue: {
    audience: 'officer',
    channels: ['email', 'webhook'],
    placeholders: [...OFFICER_COMMON, 'daysOverdue'],
    description: 'Nhắc cán bộ: hồ sơ đã quá hạn',
  },
  reminder_apology_deadline: {
    audience: 'officer',
    channels: ['email', 'webhook'],
    placeholders: [...OFFICER_COMMON, 'apologyDeadline'],
    description: 'Nhắc cán bộ: hạn cuối gửi văn bản xin lỗi, hẹn lại (Mẫu 04)',
  },
  digest: {
    audience: 'officer',
    channels: ['email', 'webhook'],
    placeholders: ['unit', 'date', 'items', 'total', 'overdueCount', 'dueTodayCount', 'dueSoonCount'],
    description: 'Tổng hợp hằng ngày của đơn vị',
  },
  report_ready: {
    audience: 'officer',
    channels: ['email', 'webhook'],
    placeholders: ['reportTitle', 'period', 'agency', 'version', 'formats', 'link'],
    description: 'Báo cáo lập theo lịch đã sẵn sàng (gửi người phụ trách lịch báo cáo)',
  },
  report_failed: {
    audience: 'officer',
    channels: ['email', 'webhook'],
    placeholders: ['reportTitle', 'period', 'agency', 'version', 'reason', 'link'],
    description: 'Báo cáo lập theo lịch không lập được, kèm lý do (gửi người phụ trách lịch báo cáo)',
  },
};

/** What a preview fills in when the caller gives no data. */
export const SAMPLE_DATA: Record<string, string> = {
  dossierCode: '000.20.17.H55-261123-0001',
  procedureName: 'Cấp chứng chỉ hành nghề dược',
  trackingLink: 'https://dichvucong.quangnam.gov.vn/tra-cuu/000.20.17.H55-261123-0001',
  receivedDate: '23/11/2026',
  dueDate: '14/12/2026',
  newDate: '18/12/2026',
  reason: 'Cần lấy ý kiến của Bộ Y tế',
  items: 'Bản sao văn bằng chuyên môn có chứng thực; Giấy khám sức khỏe',
  amount: '500.000 đồng',
  resultPlace: 'Trung tâm Phục vụ hành chính công tỉnh',
  trackingNumber: 'EV123456789VN',
  returnedDate: '14/12/2026',
  returnMethod: 'tại Bộ phận Một cửa',
  unit: 'Phòng Nghiệp vụ Dược',
  officer: 'Nguyễn Thị Hoa',
  daysLeft: '2',
  daysOverdue: '1',
  apologyDeadline: '11/12/2026',
  date: '10/12/2026',
  total: '3',
  overdueCount: '1',
  dueTodayCount: '0',
  dueSoonCount: '2',
  reportTitle: 'BÁO CÁO CÔNG TÁC CẢI CÁCH HÀNH CHÍNH QUÝ 1 NĂM 2026',
  period: '2026-Q1',
  agency: 'Sở Y tế',
  version: '1',
  formats: 'XLSX, DOCX, PDF',
  link: 'https://dichvucong.quangnam.gov.vn/v1/reports/5b1d7f00-8a51-4c39-9f43-3f0c6b1e2a10',
};

export const isTemplateEvent = (s: string): s is TemplateEvent =>
  (TEMPLATE_EVENTS as readonly string[]).includes(s);
