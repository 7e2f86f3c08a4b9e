/**
 * A dossier filed on the national (or provincial) portal arriving through the suite's API, and the
 * applicant's later actions there, as the README shows them (compiled with
 * tests/contract/tsconfig.json, so the README's example cannot drift from the contract).
 */
import { createTthcClient } from '@tthc/client';

export async function fromNationalPortal(baseUrl: string, portalKey: string): Promise<string> {
  const portal = createTthcClient({ baseUrl, apiKey: portalKey });

  // The portal's own id names the submission: sent again (a retry, a replay of its queue), it gets
  // the dossier the first call made (200 instead of 201) and nothing new is created.
  const filed = await portal.POST('/v1/dossiers', {
    body: {
      procedureCode: '1.004579',
      source: 'portal',
      channel: 'online',
      sourcePortal: 'national',
      externalId: 'G22.99-261123-000045',
      applicant: { kind: 'person', fullName: 'Trần Thị Bích', phone: '0905123456' },
      components: [{ name: 'Đơn đề nghị cấp chứng chỉ hành nghề dược', digitized: true, reused: true }],
    },
  });
  if (!filed.data) throw new Error(`${filed.response.status}: ${filed.error?.detail ?? ''}`);
  const code = filed.data.code;
  const etag = async () =>
    (await portal.GET('/v1/dossiers/{code}', { params: { path: { code } } })).response.headers.get('etag') ??
    '';

  // Later, what the applicant does on the portal comes through the same API: the supplement
  // completed, the fee paid online, the rating.
  await portal.POST('/v1/dossiers/{code}/complete-supplement', {
    params: { path: { code }, header: { 'if-match': await etag() } },
    body: { note: 'Bổ sung trên Cổng DVCQG' },
  });
  await portal.POST('/v1/dossiers/{code}/payments', {
    params: { path: { code }, header: { 'idempotency-key': `dvcqg-pay-${code}` } },
    body: { amount: 500000, method: 'national_portal', online: true, receiptNumber: 'DVCQG-BL-000045' },
  });
  await portal.POST('/v1/dossiers/{code}/rating', {
    params: { path: { code }, header: { 'idempotency-key': `dvcqg-rate-${code}` } },
    body: { rating: 'satisfied' },
  });
  return code;
}
