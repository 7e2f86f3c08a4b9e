import { eventually } from '@tthc/testkit';
import { RULE_SET_766_2023 } from '../../services/kpi/src/db/migrations/seed/rule-set-766-2023';
import { FILING } from '../support/filings';
import { NationalPortalStandIn } from '../support/national-portal';
import { startSuite, type Suite } from '../support/suite';

/**
 * Issue 18: dossier status sync to the national portal, against a local HTTP server that speaks
 * the documented shapes (token, push, query): ordered pushes of a full lifecycle with the mapped
 * codes, delivery in order after an outage, the dead-letter list and the indicator, and the
 * reconciliation finding a lost push.
 */
const portal = new NationalPortalStandIn();
let suite: Suite;
let portalKey: Record<string, string>;
const now = new Date('2026-11-23T02:00:00Z'); // Monday 23/11/2026, 09:00 in Việt Nam

beforeAll(async () => {
  const base = await portal.start();
  suite = await startSuite(() => now, {
    demoCatalogue: true,
    nationalSync: {
      NATIONAL_SYNC_URL: base,
      NATIONAL_SYNC_TOKEN_URL: `${base}/token`,
      NATIONAL_SYNC_CLIENT_ID: 'syt-qnam',
      NATIONAL_SYNC_CLIENT_SECRET: 'bi-mat-cua-tinh',
      NATIONAL_SYNC_TIMEOUT_MS: '300',
      NATIONAL_SYNC_BACKOFF_MS: '50',
      NATIONAL_SYNC_MAX_BACKOFF_MS: '200',
      NATIONAL_SYNC_INTERVAL_MS: '50',
      NATIONAL_SYNC_RECONCILE_CRON: 'off',
    },
  });
  const issued = await call('POST', '/v1/admin/api-keys', {
    name: 'Cổng DVC tỉnh',
    owner: 'provincial-portal',
    roles: ['portal'],
  });
  portalKey = { 'x-api-key': issued.body.key };
}, 60_000);
afterAll(async () => {
  await suite.close();
  await portal.close();
});

async function call(method: string, path: string, body?: unknown, headers?: Record<string, string>) {
  const res = await fetch(suite.url + path, {
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
const file = async () => {
  const r = await call('POST', '/v1/dossiers', FILING);
  expect(r.status).toBe(201);
  return r.body.code as string;
};
const act = async (code: string, path: string, body: unknown = {}, headers?: Record<string, string>) => {
  const current = await call('GET', `/v1/dossiers/${code}`);
  const r = await call('POST', `/v1/dossiers/${code}/${path}`, body, {
    ...headers,
    'if-match': current.etag,
  });
  expect({ path, status: r.status, detail: r.body.detail }).toEqual({ path, status: 200, detail: undefined });
};
const pushed = (code: string, statuses: number[]) =>
  eventually(
    async () => (JSON.stringify(portal.statusesOf(code)) === JSON.stringify(statuses) ? true : undefined),
    {
      what: `pushes ${statuses.join(',')} of ${code} (have ${portal.statusesOf(code).join(',')})`,
      timeoutMs: 20_000,
    },
  );
const syncState = async (code: string) => (await call('GET', `/v1/national-sync/dossiers/${code}`)).body;

describe('dossier status sync to the national portal', () => {
  it("pushes a dossier's whole lifecycle in order, with the national codes and dates", async () => {
    const code = await file();
    await pushed(code, [2]);
    await act(code, 'assign', { unit: 'Phòng Nghiệp vụ Y' });
    await pushed(code, [2, 4]);
    await act(code, 'request-supplement', { reason: 'Thiếu giấy tờ', items: ['Bản sao văn bằng'] });
    await pushed(code, [2, 4, 5]);
    // The applicant completes it on the portal (the portal's role may).
    await act(code, 'complete-supplement', {}, portalKey);
    await pushed(code, [2, 4, 5, 4]);
    await act(code, 'resolve', {
      resultNumber: '12/QĐ-SYT',
      eResult: true,
      eResultUrl: 'https://dichvucong.quangnam.gov.vn/ket-qua/12',
    });
    await pushed(code, [2, 4, 5, 4, 9]);
    await act(code, 'return', { method: 'online' });
    await pushed(code, [2, 4, 5, 4, 9, 10]);

    const last = portal.records.get(code)!;
    expect(last).toMatchObject({
      MaHoSo: code,
      MaTTHC: FILING.procedureCode,
      KenhThucHien: 1,
      NgayTiepNhan: '20261123090000',
      SoKetQua: '12/QĐ-SYT',
      DuongDanKetQuaDienTu: 'https://dichvucong.quangnam.gov.vn/ket-qua/12',
      SoThanhPhan: 5,
      SoThanhPhanSoHoa: 5,
      ThanhToanTrucTuyen: 0,
    });
    expect(last['NgayKetThucXuLy']).toMatch(/^\d{14}$/);
    // One token for every call: held until it expires.
    expect(portal.tokensIssued).toBe(1);
    // The stand-in has the record a moment before the pusher records the delivery.
    const state = await eventually(async () => {
      const st = await syncState(code);
      return st.phase === 'synced' ? st : undefined;
    });
    expect(state).toMatchObject({ lastPushedStatus: 'returned', lastError: null });
  }, 60_000);

  it('takes a portal submission once per external id, however often the portal sends it', async () => {
    const body = {
      ...FILING,
      source: 'portal',
      channel: 'online',
      sourcePortal: 'national',
      externalId: 'DVCQG-2026-000123',
    };
    const first = await call('POST', '/v1/dossiers', body, portalKey);
    expect(first.status).toBe(201);
    const again = await call('POST', '/v1/dossiers', body, portalKey);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    const half = await call('POST', '/v1/dossiers', { ...body, sourcePortal: undefined }, portalKey);
    expect(half.status).toBe(400);
    expect(JSON.stringify(half.body.errors)).toContain('sourcePortal');
    await pushed(first.body.code, [1]);
  }, 30_000);

  it('delivers in order once an endpoint failing for a while (500s, HTML, no answer) recovers', async () => {
    portal.mode = 'error500';
    const code = await file();
    const before = portal.attempts;
    await eventually(async () => (portal.attempts >= before + 2 ? true : undefined), { what: '500s' });
    await act(code, 'assign', { unit: 'Phòng Nghiệp vụ Y' });
    portal.mode = 'html';
    await eventually(
      async () => ((await syncState(code)).lastError?.includes('not JSON') ? true : undefined),
      {
        what: 'the HTML answer recorded',
      },
    );
    portal.mode = 'hang';
    await eventually(
      async () => ((await syncState(code)).lastError?.includes('no answer') ? true : undefined),
      {
        what: 'the timeout recorded',
      },
    );
    expect((await syncState(code)).phase).toBe('pending');
    expect(portal.statusesOf(code)).toEqual([]);
    portal.mode = 'ok';
    await pushed(code, [2, 4]);
    await eventually(async () => ((await syncState(code)).phase === 'synced' ? true : undefined));
    expect(await syncState(code)).toMatchObject({
      phase: 'synced',
      lastError: null,
      lastPushedVersion: expect.any(Number),
    });
  }, 60_000);

  it('dead-letters a push the national side refuses, and the indicator counts that dossier as not synced until re-pushed', async () => {
    portal.mode = 'refuse';
    const code = await file();
    const dead = await eventually(
      async () => {
        const r = await call('GET', '/v1/national-sync/dead-letters');
        return r.body.items.find((i: { dossierCode: string }) => i.dossierCode === code);
      },
      { what: 'the dead letter', timeoutMs: 15_000 },
    );
    expect(dead.lastError).toContain('422');
    expect(await syncState(code)).toMatchObject({ phase: 'dead_letter', receiptSyncedAt: null });

    // Without a sync configured in the rule set the criterion stays N/A; with it, synced / received.
    const criterion = async () => {
      const r = await call('GET', '/v1/kpi/indicators?period=2026-11');
      return r.body.groups
        .flatMap((g: { criteria: any[] }) => g.criteria)
        .find((c: { id: string }) => c.id === 'transparency.synced_national_portal');
    };
    expect(await criterion()).toMatchObject({ status: 'not_applicable' });
    const set = await call('POST', '/v1/kpi/rule-sets', {
      ...RULE_SET_766_2023,
      id: 'QD766-SYNC',
      effectiveFrom: '2026-06-01',
      params: { ...RULE_SET_766_2023.params, nationalSyncFrom: '2026-11-01' },
    });
    expect(set.status).toBe(201);
    // Received: the lifecycle, the outage and this one (the portal submission is not received yet).
    await eventually(
      async () => {
        const c = await criterion();
        return c?.numerator === 2 && c?.denominator === 3 ? c : undefined;
      },
      { what: 'synced 2 of 3', timeoutMs: 15_000 },
    );

    portal.mode = 'ok';
    const repush = await call('POST', `/v1/national-sync/dossiers/${code}/repush`, {});
    expect(repush.body).toEqual({ dossiers: 1, queued: true });
    await pushed(code, [2]);
    await eventually(
      async () => {
        const c = await criterion();
        return c?.numerator === 3 && c?.denominator === 3 ? c : undefined;
      },
      { what: 'synced 3 of 3', timeoutMs: 15_000 },
    );
    const list = await call('GET', '/v1/national-sync/dead-letters');
    expect(list.body.items.map((i: { dossierCode: string }) => i.dossierCode)).not.toContain(code);
  }, 60_000);

  it('records an unknown agency in the mapping on the dossier instead of pushing', async () => {
    const current = await call('GET', '/v1/national-sync/mapping');
    const replaced = await call('PUT', '/v1/national-sync/mapping', {
      mapping: { ...current.body.mapping, unmappedAgency: 'refuse' },
      note: 'chỉ gửi cơ quan đã có mã quốc gia',
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.version).toBe(current.body.version + 1);
    const bad = await call('PUT', '/v1/national-sync/mapping', {
      mapping: {
        ...current.body.mapping,
        statuses: { ...current.body.mapping.statuses, returned: undefined },
      },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.errors)).toContain('returned');

    const code = await file();
    await eventually(async () => ((await syncState(code)).phase === 'dead_letter' ? true : undefined), {
      what: 'the mapping error dead-lettered',
    });
    expect((await syncState(code)).lastError).toMatch(/^mapping: agency .* has no national code/);
    const restored = await call('PUT', '/v1/national-sync/mapping', { mapping: current.body.mapping });
    expect({ status: restored.status, detail: restored.body.detail }).toEqual({
      status: 200,
      detail: undefined,
    });
    const revived = await call('POST', '/v1/national-sync/dead-letters/repush', {});
    expect(revived.body).toEqual({ dossiers: 1, queued: true });
    await pushed(code, [2]);
  }, 60_000);

  it('finds a dossier whose push was lost in the reconciliation, and pushes it again', async () => {
    portal.mode = 'lose';
    const code = await file();
    await eventually(async () => ((await syncState(code)).phase === 'synced' ? true : undefined), {
      what: 'the push taken (and lost)',
    });
    expect(portal.records.has(code)).toBe(false);
    portal.mode = 'ok';
    const run = await call('POST', '/v1/national-sync/reconciliations', {});
    expect(run.status).toBe(201);
    const detail = await call('GET', `/v1/national-sync/reconciliations/${run.body.id}`);
    expect(detail.body.error).toBeNull();
    expect(detail.body.differences).toEqual([
      expect.objectContaining({ code, kinds: ['missing'], theirs: null, repushed: true }),
    ]);
    await pushed(code, [2]);
    const after = await call('POST', '/v1/national-sync/reconciliations', {});
    expect(after.body.differing).toBe(0);
  }, 60_000);
});
