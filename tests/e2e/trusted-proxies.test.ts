import { eventually } from '@tthc/testkit';
import { sql } from 'kysely';
import { FILING } from '../support/filings';
import { startSuite, type Suite } from '../support/suite';

/**
 * Behind a reverse proxy every citizen arrives from the proxy's address. With the proxy named in
 * TRUSTED_PROXIES, the gateway takes the client's address from X-Forwarded-For and passes it on
 * in the signed identity: the gateway's and intake's per-address limits count each citizen on
 * their own, and the personal-data access log records where a read came from. A gateway that
 * does not trust the proxy ignores the header, so a client cannot pick a fresh bucket by
 * sending one.
 */

let suite: Suite;
let code = '';
const PHONE = FILING.applicant.phone;

beforeAll(async () => {
  suite = await startSuite(() => new Date(), {
    demoCatalogue: true,
    gatewayEnv: { TRUSTED_PROXIES: '127.0.0.1,::1', TRACKING_RATE_LIMIT_PER_MINUTE: '1000' },
  });
  const filed = await eventually(
    async () => {
      const res = await fetch(`${suite.url}/v1/dossiers`, {
        method: 'POST',
        headers: { ...suite.adminHeaders, 'content-type': 'application/json' },
        body: JSON.stringify(FILING),
      });
      return res.status === 201 ? ((await res.json()) as { code: string }) : undefined;
    },
    { what: 'intake to know the demo procedure', timeoutMs: 30_000 },
  );
  code = filed.code;
}, 120_000);
afterAll(() => suite.close());

const track = (base: string, forwardedFor: string) =>
  fetch(`${base}/v1/tracking/${encodeURIComponent(code)}`, {
    headers: { 'x-verification': PHONE, 'x-forwarded-for': forwardedFor },
  }).then(async (r) => (await r.arrayBuffer(), r.status));

describe('a gateway behind trusted proxies', () => {
  it("counts intake's tracking limit per citizen, not per proxy", async () => {
    // Intake allows 30 tracking requests a minute per address.
    const first: number[] = [];
    for (let i = 0; i < 31; i++) first.push(await track(suite.url, '203.0.113.10'));
    expect(first.slice(0, 30).every((s) => s === 200)).toBe(true);
    expect(first[30]).toBe(429);
    expect(await track(suite.url, '203.0.113.11')).toBe(200);
  });

  it("counts the gateway's own limit per citizen, and an untrusting gateway ignores the header", async () => {
    const trusting = await suite.anotherGateway({
      TRUSTED_PROXIES: '127.0.0.1,::1',
      TRACKING_RATE_LIMIT_PER_MINUTE: '3',
    });
    const a: number[] = [];
    for (let i = 0; i < 4; i++) a.push(await track(trusting, '198.51.100.1'));
    expect(a).toEqual([200, 200, 200, 429]);
    expect(await track(trusting, '198.51.100.2')).toBe(200);

    const untrusting = await suite.anotherGateway({
      TRUSTED_PROXIES: '',
      TRACKING_RATE_LIMIT_PER_MINUTE: '3',
    });
    const spoofed: number[] = [];
    for (let i = 0; i < 4; i++) spoofed.push(await track(untrusting, `192.0.2.${i + 1}`));
    expect(spoofed).toEqual([200, 200, 200, 429]);
  });

  it('records the client address of a personal-data read', async () => {
    const res = await fetch(`${suite.url}/v1/dossiers/${encodeURIComponent(code)}`, {
      headers: { ...suite.adminHeaders, 'x-forwarded-for': '198.51.100.77' },
    });
    expect(res.status).toBe(200);
    const rows = await sql<{ client_address: string | null }>`
      select a.client_address from personal_data_access a join dossiers d on d.id = a.dossier_id
      where d.code = ${code} order by a.id desc limit 1`.execute(suite.resources.dbFor<any>('intake'));
    expect(rows.rows[0]?.client_address).toBe('198.51.100.77');
  });
});
