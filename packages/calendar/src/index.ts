export * from './civil-date';
export * from './vn-date';
export { type LunarCalendarSource, type LunarDate, LUNAR_RANGE, vietnameseLunarCalendar } from './lunar';
export {
  type Holiday,
  type HolidayKind,
  HOLIDAY_RULES_FROM_YEAR,
  defaultHolidays,
  isWeekend,
  quocKhanhAdjacentDay,
} from './holidays';
export {
  type Announcement,
  type DayOverride,
  OFFICIAL_DAYS_2024_2026,
  overridesFromAnnouncements,
} from './official-days';
export { type CalendarSettings, type OfficeBlock, DEFAULT_OFFICE_HOURS } from './settings';
export { type DueDateOptions, type Period, type PeriodUnit } from './due-date';
export { type DayInfo, type WorkingCalendar, CALENDAR_RANGE, createCalendar } from './working-calendar';
export { type Timeliness, isDueToday, isOverdueAt, isOverdueNow, timeliness } from './timeliness';
export {
  type ReportingPeriod,
  type ReportingPeriodBasis,
  type ReportingPeriodKind,
  type ReportingPeriodSpec,
  MAX_PERIOD_YEARS,
  PeriodInputError,
  previousPeriod,
  resolvePeriod,
  samePeriodLastYear,
} from './reporting-period';
