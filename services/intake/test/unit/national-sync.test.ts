import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NationalCallError, NationalClient } from '../../src/national-sync/client/national-client';
import { CURRENT_NATIONAL_MAPPING, NationalMapping } from '../../src/national-sync/domain/mapping';
import {
  differences,
  fromNationalRecord,
  MappingError,
  nationalDate,
  parseNationalDate,
  toNationalBody,
  type NationalRecord,
} from '../../src/national-sync/domain/national-record';
import { afterFailure } from '../../src/national-sync/workers/national-pusher';

const record = (over: Partial<NationalRecord> = {}): NationalRecord => ({
  code: '000.20.17.H55-261123-0001',
  procedureCode: '1.001919',
  status: 'processing',
  channel: 'online',
  agencyCode: '000.00.17.H55',
  receivedAt: '2026-11-23T02:00:00.000Z',
  dueAt: '2026-12-07T10:00:00.000Z',
  endedAt: null,
  resultNumber: null,
  eResultUrl: null,
  paidOnline: true,
  components: { total: 5, digitized: 5, reused: 1 },
  version: 3,
  updatedAt: '2026-11-24T03:00:00.000Z',
  ...over,
});

describe('the national mapping', () => {
  it('writes our record under the national member names, codes and local dates', () => {
    expect(toNationalBody(record(), CURRENT_NATIONAL_MAPPING)).toMatchObject({
      MaHoSo: '000.20.17.H55-261123-0001',
      TrangThaiHoSo: 4,
      KenhThucHien: 2,
      MaCoQuan: '000.00.17.H55',
      NgayTiepNhan: '20261123090000',
      NgayHenTra: '20261207170000',
      NgayKetThucXuLy: null,
      ThanhToanTrucTuyen: 1,
      SoThanhPhanTaiSuDung: 1,
      PhienBan: 3,
    });
  });

  it('refuses a record whose agency has no national code when the mapping says so', () => {
    const m = { ...CURRENT_NATIONAL_MAPPING, unmappedAgency: 'refuse' as const, agencies: { X: 'G22' } };
    expect(() => toNationalBody(record(), m)).toThrow(MappingError);
    expect(toNationalBody(record({ agencyCode: 'X' }), m)['MaCoQuan']).toBe('G22');
  });

  it('refuses a mapping that leaves a status without a code, or names a member twice', () => {
    const { returned: _, ...statuses } = CURRENT_NATIONAL_MAPPING.statuses;
    const missing = NationalMapping.safeParse({ ...CURRENT_NATIONAL_MAPPING, statuses });
    expect(missing.error?.issues.map((i) => i.path.join('/'))).toEqual(['statuses/returned']);
    const twice = NationalMapping.safeParse({
      ...CURRENT_NATIONAL_MAPPING,
      fields: { ...CURRENT_NATIONAL_MAPPING.fields, dueAt: 'NgayTiepNhan' },
    });
    expect(twice.success).toBe(false);
  });

  it('reads dates back in either format and tells what differs', () => {
    expect(parseNationalDate('20261123090000')?.toISOString()).toBe('2026-11-23T02:00:00.000Z');
    expect(nationalDate('2026-11-23T02:00:00.000Z', 'iso')).toBe('2026-11-23T02:00:00.000Z');
    const m = CURRENT_NATIONAL_MAPPING;
    const theirs = fromNationalRecord(toNationalBody(record(), m), m)!;
    expect(differences(record(), theirs, m)).toEqual([]);
    expect(
      differences(record({ status: 'resolved', endedAt: '2026-11-30T02:00:00.000Z' }), theirs, m),
    ).toEqual(['status', 'endedAt']);
    expect(differences(record(), undefined, m)).toEqual(['missing']);
  });
});

describe('after a failed push', () => {
  const config = {
    NATIONAL_SYNC_MAX_ATTEMPTS: 5,
    NATIONAL_SYNC_MAX_AGE_HOURS: 72,
    NATIONAL_SYNC_BACKOFF_MS: 1000,
    NATIONAL_SYNC_MAX_BACKOFF_MS: 5000,
  };
  it('retries a passing failure with exponential backoff up to the longest delay', () => {
    const err = new NationalCallError('HTTP 503', true, 503);
    expect([1, 2, 3, 4].map((n) => afterFailure(err, n, 0, config))).toEqual([
      { dead: false, reason: 'HTTP 503', delayMs: 1000 },
      { dead: false, reason: 'HTTP 503', delayMs: 2000 },
      { dead: false, reason: 'HTTP 503', delayMs: 4000 },
      { dead: false, reason: 'HTTP 503', delayMs: 5000 },
    ]);
  });

  it('dead-letters a refusal, an unknown code, the last attempt and a push too old', () => {
    expect(afterFailure(new NationalCallError('HTTP 422', false, 422), 1, 0, config).dead).toBe(true);
    expect(afterFailure(new MappingError('status x'), 1, 0, config)).toEqual({
      dead: true,
      reason: 'mapping: status x',
    });
    expect(afterFailure(new NationalCallError('HTTP 500', true), 5, 0, config).dead).toBe(true);
    expect(afterFailure(new NationalCallError('HTTP 500', true), 1, 73 * 3_600_000, config).dead).toBe(true);
  });
});

describe('the national client', () => {
  let server: Server;
  let base: string;
  let tokens = 0;
  let answer: (auth: string) => { status: number; type: string; body: string };
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.url === '/token') {
          tokens++;
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end(JSON.stringify({ access_token: `t${tokens}`, expires_in: 3600 }));
        }
        const a = answer(req.headers.authorization ?? '');
        res.writeHead(a.status, { 'content-type': a.type });
        res.end(a.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const client = () =>
    new NationalClient({
      NATIONAL_SYNC_URL: `${base}/api`,
      NATIONAL_SYNC_TOKEN_URL: `${base}/token`,
      NATIONAL_SYNC_CLIENT_ID: 'id',
      NATIONAL_SYNC_CLIENT_SECRET: 'secret',
      NATIONAL_SYNC_SCOPE: undefined,
      NATIONAL_SYNC_TIMEOUT_MS: 500,
    });

  it('keeps its token, and takes a new one once when a call answers 401', async () => {
    tokens = 0;
    const c = client();
    answer = () => ({ status: 200, type: 'application/json', body: '{}' });
    await c.push('/dossiers', {});
    await c.push('/dossiers', {});
    expect(tokens).toBe(1);
    answer = (auth) =>
      auth === 'Bearer t1'
        ? { status: 401, type: 'application/json', body: '{}' }
        : { status: 200, type: 'application/json', body: '{}' };
    await c.push('/dossiers', {});
    expect(tokens).toBe(2);
  });

  it('tells an HTML answer and a 5xx as passing, a 4xx refusal as final', async () => {
    const c = client();
    answer = () => ({ status: 200, type: 'text/html', body: '<html>maintenance</html>' });
    await expect(c.push('/dossiers', {})).rejects.toMatchObject({ retryable: true, message: /not JSON/ });
    answer = () => ({ status: 503, type: 'application/json', body: '{"error":"busy"}' });
    await expect(c.push('/dossiers', {})).rejects.toMatchObject({ retryable: true, status: 503 });
    answer = () => ({ status: 400, type: 'application/json', body: '{"error":"MaHoSo"}' });
    await expect(c.push('/dossiers', {})).rejects.toMatchObject({ retryable: false, status: 400 });
  });
});
