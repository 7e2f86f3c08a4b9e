/** Receipt dates are civil dates in Việt Nam (UTC+7), whatever the server's zone. */
const VN_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Ho_Chi_Minh',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The civil date (YYYY-MM-DD) of an instant in Asia/Ho_Chi_Minh. */
export function vnDate(instant: Date): string {
  return VN_DATE.format(instant);
}
