/**
 * The portal's typical calls, as the README shows them (compiled with tests/contract/tsconfig.json,
 * so the README's example cannot drift from the contract).
 */
import { createTthcClient } from '@tthc/client';

export async function portalDay(baseUrl: string, portalKey: string, deskToken: string): Promise<void> {
  const portal = createTthcClient({ baseUrl, apiKey: portalKey });

  // File a dossier; a retry with the same Idempotency-Key gets the same dossier back.
  const filed = await portal.POST('/v1/dossiers', {
    params: { header: { 'idempotency-key': 'portal-7f3c2a10-0001' } },
    body: {
      procedureCode: '1.004579',
      source: 'portal',
      channel: 'online',
      applicant: { kind: 'person', fullName: 'Nguyễn Văn An', phone: '0912345678' },
      components: [{ name: 'Đơn đề nghị cấp chứng chỉ hành nghề dược', digitized: true }],
    },
  });
  if (!filed.data) throw new Error(`${filed.response.status}: ${filed.error?.detail ?? ''}`);
  const code = filed.data.code;

  // Poll its status as the applicant does (the second factor: the last digits of the phone).
  const tracked = await portal.GET('/v1/tracking/{code}', {
    params: { path: { code }, header: { 'x-verification': '5678' } },
  });
  console.log(tracked.data?.statusLabel, tracked.data?.dueAt);

  // The applicant brings the supplement asked for; the desk records it (an officer's token), with
  // the ETag of the dossier it read.
  const desk = createTthcClient({ baseUrl, token: deskToken });
  const read = await desk.GET('/v1/dossiers/{code}', { params: { path: { code } } });
  await desk.POST('/v1/dossiers/{code}/complete-supplement', {
    params: { path: { code }, header: { 'if-match': read.response.headers.get('etag') ?? '' } },
    body: { note: 'Đã nộp Giấy khám sức khỏe' },
  });

  // Pay the fee through the national portal, then rate the service once the result is returned.
  await portal.POST('/v1/dossiers/{code}/payments', {
    params: { path: { code }, header: { 'idempotency-key': `pay-${code}-1` } },
    body: { amount: 500000, method: 'national_portal', online: true, receiptNumber: 'BL-2026-000123' },
  });
  await portal.POST('/v1/dossiers/{code}/rating', {
    params: { path: { code }, header: { 'idempotency-key': `rate-${code}-1` } },
    body: { rating: 'satisfied', comment: 'Cán bộ hướng dẫn tận tình' },
  });
}
