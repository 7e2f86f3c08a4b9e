import { eventually } from '@tthc/testkit';
import { FILING } from '../support/filings';
import { NationalPortalStandIn } from '../support/national-portal';
import { startSuite, type Suite } from '../support/suite';

/**
 * Issue 18 with two replicas of every service, each with its own pusher: a dossier still has one
 * push in flight at a time, so the national side sees its versions only ever going up, ending at
 * the last, each at most once, even while the endpoint fails now and then.
 */
const portal = new NationalPortalStandIn();
let suite: Suite;
const now = new Date('2026-11-24T02:00:00Z');

beforeAll(async () => {
  const base = await portal.start();
  suite = await startSuite(() => now, {
    demoCatalogue: true,
    replicas: 2,
    nationalSync: {
      NATIONAL_SYNC_URL: base,
      NATIONAL_SYNC_TOKEN_URL: `${base}/token`,
      NATIONAL_SYNC_CLIENT_ID: 'syt-qnam',
      NATIONAL_SYNC_CLIENT_SECRET: 'bi-mat-cua-tinh',
      NATIONAL_SYNC_TIMEOUT_MS: '300',
      NATIONAL_SYNC_BACKOFF_MS: '20',
      NATIONAL_SYNC_MAX_BACKOFF_MS: '100',
      NATIONAL_SYNC_INTERVAL_MS: '30',
      NATIONAL_SYNC_RECONCILE_CRON: 'off',
    },
  });
}, 60_000);
afterAll(async () => {
  await suite.close();
  await portal.close();
});

async function call(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(url + path, {
    method,
    headers: {
      ...suite.adminHeaders,
      ...headers,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? null : JSON.stringify(body),
  });
  return { status: res.status, etag: res.headers.get('etag') ?? '', body: (await res.json()) as any };
}

it('pushes each dossier in version order across replicas, through intermittent failures', async () => {
  const codes: string[] = [];
  for (let i = 0; i < 4; i++) {
    const filed = await call(suite.urls[i % 2]!, 'POST', '/v1/dossiers', FILING);
    expect(filed.status).toBe(201);
    codes.push(filed.body.code);
  }
  const flapping = setInterval(() => {
    portal.mode = portal.mode === 'ok' ? 'error500' : 'ok';
  }, 40);
  try {
    for (const [i, code] of codes.entries())
      for (const [path, body] of [
        ['assign', { unit: 'Phòng Nghiệp vụ Y' }],
        ['resolve', { eResult: true }],
        ['return', { method: 'online' }],
      ] as const) {
        const url = suite.urls[(i + path.length) % 2]!;
        const read = await call(url, 'GET', `/v1/dossiers/${code}`);
        const r = await call(url, 'POST', `/v1/dossiers/${code}/${path}`, body, { 'if-match': read.etag });
        expect({ path, status: r.status }).toEqual({ path, status: 200 });
      }
  } finally {
    clearInterval(flapping);
    portal.mode = 'ok';
  }
  for (const code of codes) {
    const versions = () =>
      portal.accepted.filter((b) => b['MaHoSo'] === code).map((b) => b['PhienBan'] as number);
    await eventually(async () => (portal.records.get(code)?.['TrangThaiHoSo'] === 10 ? true : undefined), {
      what: `${code} returned on the national side`,
      timeoutMs: 20_000,
    });
    const seen = versions();
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(new Set(seen).size).toBe(seen.length);
    expect(portal.statusesOf(code)[0]).toBe(2);
  }
  expect(portal.attempts).toBeGreaterThan(portal.accepted.length);
}, 90_000);
