/**
 * The CSV layout of a historical import, one row per dossier; lists inside a cell are separated
 * by ";" and the parts of an item by "|" (history: `status|at|actor`; payments:
 * `amount|method|online|receipt number|paid at`; supplements: `requested at|completed at|reason|item; item`).
 */
const yes = (v: string | undefined) =>
  ['true', '1', 'có', 'co', 'x', 'yes'].includes((v ?? '').trim().toLowerCase());
const opt = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());
const items = (v: string | undefined, sep = ';') =>
  (v ?? '')
    .split(sep)
    .map((x) => x.trim())
    .filter(Boolean);

export function csvRowToImported(r: Record<string, string>): Record<string, unknown> {
  const num = (v: string | undefined) => (v && /^\d+$/.test(v.trim()) ? Number(v.trim()) : v);
  return {
    sourceId: r['sourceId'],
    code: r['code'],
    procedureCode: r['procedureCode'],
    channel: r['channel'],
    homeService: yes(r['homeService']),
    applicant: {
      kind: opt(r['applicantKind']) ?? 'person',
      fullName: r['applicantName'] ?? '',
      ...(opt(r['applicantPhone']) ? { phone: opt(r['applicantPhone']) } : {}),
      ...(opt(r['applicantIdNumber']) ? { idNumber: opt(r['applicantIdNumber']) } : {}),
      ...(opt(r['applicantAddress']) ? { address: opt(r['applicantAddress']) } : {}),
    },
    feesDue: num(opt(r['feesDue']) ?? '0'),
    ...(opt(r['submittedAt']) ? { submittedAt: opt(r['submittedAt']) } : {}),
    receivedAt: r['receivedAt'],
    ...(opt(r['dueAt']) ? { dueAt: opt(r['dueAt']) } : {}),
    ...(opt(r['originalDueAt']) ? { originalDueAt: opt(r['originalDueAt']) } : {}),
    ...(opt(r['rescheduledAt']) ? { rescheduledAt: opt(r['rescheduledAt']) } : {}),
    ...(opt(r['rescheduleReason']) ? { rescheduleReason: opt(r['rescheduleReason']) } : {}),
    history: items(r['history']).map((h) => {
      const [status, at, actor] = h.split('|').map((x) => x.trim());
      return { status, at, ...(actor ? { actor } : {}) };
    }),
    supplements: items(r['supplements'], '\n').map((s) => {
      const [requestedAt, completedAt, reason, list] = s.split('|').map((x) => x.trim());
      return { requestedAt, ...(completedAt ? { completedAt } : {}), reason, items: items(list) };
    }),
    payments: items(r['payments']).map((p) => {
      const [amount, method, online, receiptNumber, paidAt] = p.split('|').map((x) => x.trim());
      return { amount: num(amount), method, online: yes(online), receiptNumber, paidAt };
    }),
    ...(opt(r['eResult']) !== undefined || opt(r['resultDigitized']) !== undefined
      ? {
          result: {
            eResult: yes(r['eResult']),
            resultDigitized: yes(r['resultDigitized']),
            ...(opt(r['resultNumber']) ? { resultNumber: opt(r['resultNumber']) } : {}),
          },
        }
      : {}),
    ...(opt(r['returnMethod'])
      ? {
          returnInfo: {
            method: opt(r['returnMethod']),
            ...(opt(r['returnTrackingNumber']) ? { trackingNumber: opt(r['returnTrackingNumber']) } : {}),
          },
        }
      : {}),
    ...(opt(r['rating']) ? { rating: { rating: opt(r['rating']), ratedAt: r['ratedAt'] } } : {}),
  };
}
