import { type Timeliness, vnDate, vnTimeOfDayMs } from '@tthc/calendar';
import type { ProcessingTime } from '@tthc/contracts';

/**
 * Words and numbers as the slips print them. Instants become Asia/Ho_Chi_Minh wall time through
 * @tthc/calendar (a fixed UTC+7 shift), so the server's time zone never matters.
 */

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

function localParts(instant: Date): LocalParts {
  const [year, month, day] = vnDate(instant).split('-').map(Number) as [number, number, number];
  const minutes = Math.floor(vnTimeOfDayMs(instant) / 60_000);
  return { year, month, day, hour: Math.floor(minutes / 60), minute: minutes % 60 };
}

export function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * "ngày 04 tháng 12 năm 2026". Nghị định 30/2020/NĐ-CP (Phụ lục I, địa danh và thời gian ban hành văn bản) writes a day below
 * 10 and the months 1 and 2 with a leading zero, other months without: "ngày 05 tháng 02",
 * "ngày 15 tháng 4".
 */
export function dateInWords(instant: Date): string {
  const { year, month, day } = localParts(instant);
  return `ngày ${pad2(day)} tháng ${month < 3 ? pad2(month) : String(month)} năm ${year}`;
}

/** "17 giờ 00 phút, ngày 04 tháng 12 năm 2026", the wording of the forms' time fields. */
export function dateTimeInWords(instant: Date): string {
  const { hour, minute } = localParts(instant);
  return `${pad2(hour)} giờ ${pad2(minute)} phút, ${dateInWords(instant)}`;
}

/** The date line under the national motto: "Quảng Nam, ngày 23 tháng 11 năm 2026". */
export function placeAndDate(place: string, instant: Date): string {
  return `${place}, ${dateInWords(instant)}`;
}

/** Compact form for table cells: "17:00 04/12/2026". */
export function shortDateTime(instant: Date): string {
  const { year, month, day, hour, minute } = localParts(instant);
  return `${pad2(hour)}:${pad2(minute)} ${pad2(day)}/${pad2(month)}/${year}`;
}

const UNIT_WORDS: Record<ProcessingTime['unit'], string> = {
  working_days: 'ngày làm việc',
  working_hours: 'giờ làm việc',
  days: 'ngày',
  months: 'tháng',
};

/** "15 ngày làm việc". */
export function processingTimeInWords(time: ProcessingTime): string {
  return `${time.value} ${UNIT_WORDS[time.unit]}`;
}

/** The result column of Mẫu số 05. */
export function timelinessLabel(result: Timeliness): string {
  switch (result) {
    case 'early':
      return 'Trước hạn';
    case 'on_time':
      return 'Đúng hạn';
    case 'late':
      return 'Quá hạn';
  }
}

/** A field the slip prints only when it holds something (absent, null or blank: left out). */
export function present(value: string | null | undefined): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** Capitals for the header lines; Vietnamese casing keeps the diacritics ("Sở Y tế" → "SỞ Y TẾ"). */
export function upper(text: string): string {
  return text.toLocaleUpperCase('vi-VN');
}

/** "Nguyễn Văn An (Chuyên viên)" when the position is known. */
export function officerWithPosition(officer: { name: string; position?: string }): string {
  return present(officer.position) ? `${officer.name} (${officer.position})` : officer.name;
}
