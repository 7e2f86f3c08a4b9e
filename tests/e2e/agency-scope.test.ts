import { eventually } from '@tthc/testkit';
import { startSuite, type Suite } from '../support/suite';

/**
 * The agency scope through the gateway, as the units of an inter-agency procedure and a
 * security reviewer meet it: procedure 1.001919 of the demo catalogue (Sở Y tế 10 working days
 * → Sở Tư pháp 5 → UBND tỉnh 5), received at the provincial service centre; feedback, reports,
 * messages and slips of one agency refused to another.
 */
let suite: Suite;
const now = new Date('2026-11-23T02:00:00Z'); // Monday 23/11/2026, 09:00 in Việt Nam

const AG = {
  ubnd: '000.00.00.H55',
  tuPhap: '000.00.12.H55',
  soYTe: '000.00.17.H55',
  chiCuc: '000.01.17.H55',
  centre: '000.20.17.H55',
  bhxh: '000.00.90.H55',
};

type Res = { status: number; etag: string; body: any; type: string };
async function call(
  headers: Record<string, string>,
  method: string,
  path: string,
  body?: unknown,
  extra: Record<string, string> = {},
): Promise<Res> {
  const res = await fetch(suite.url + path, {
    method,
    headers: { ...headers, ...extra, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const type = res.headers.get('content-type') ?? '';
  const body_ = type.includes('json') ? await res.json() : await res.arrayBuffer();
  return { status: res.status, etag: res.headers.get('etag') ?? '', body: body_, type };
}
const keys: Record<string, Record<string, string>> = {};
const as = (who: string) => (method: string, path: string, body?: unknown, extra?: Record<string, string>) =>
  call(keys[who]!, method, path, body, extra);
const admin = (method: string, path: string, body?: unknown) => call(suite.adminHeaders, method, path, body);

async function issue(name: string, roles: string[], agencyCode: string | null) {
  const res = await admin('POST', '/v1/admin/api-keys', {
    name,
    owner: name.toLowerCase().replace(/[^a-z0-9]/g, '-'),
    roles,
    agencyCode,
  });
  expect(res.status).toBe(201);
  keys[name] = { 'x-api-key': res.body.key as string };
}

/** An action with the If-Match of the dossier as the caller reads it. */
async function act(who: string, code: string, path: string, body: unknown = {}) {
  const current = await as(who)('GET', `/v1/dossiers/${code}`);
  expect({ who, read: current.status }).toEqual({ who, read: 200 });
  return as(who)('POST', `/v1/dossiers/${code}/${path}`, body, { 'if-match': current.etag });
}
const listed = async (who: string, query = '') =>
  ((await as(who)('GET', `/v1/dossiers?limit=200${query}`)).body.items as { code: string }[]).map(
    (d) => d.code,
  );
const expectForbidden = (r: Res) => {
  expect(r.status).toBe(403);
  expect(r.type).toContain('application/problem+json');
};

const COMPONENTS = [
  'Văn bản đề nghị bổ nhiệm giám định viên pháp y, pháp y tâm thần của Giám đốc Sở Y tế',
  'Bản sao văn bằng tốt nghiệp đại học chuyên ngành y khoa phù hợp',
  'Sơ yếu lý lịch và Phiếu lý lịch tư pháp',
  'Văn bản xác nhận thời gian thực tế hoạt động chuyên môn của cơ quan, tổ chức nơi người được đề nghị làm việc',
  'Chứng chỉ đã qua đào tạo hoặc bồi dưỡng nghiệp vụ giám định pháp y, pháp y tâm thần',
].map((name) => ({ name, digitized: true }));
const applicant = {
  kind: 'person',
  fullName: 'Lê Thị Hoa',
  phone: '0905111222',
  idNumber: '049190001234',
  email: 'hoa@example.vn',
};

let code = '';

beforeAll(async () => {
  suite = await startSuite(() => now, { demoCatalogue: true });
  await issue('desk-centre', ['desk_officer'], AG.centre);
  await issue('desk-tuphap', ['desk_officer'], AG.tuPhap);
  await issue('syt', ['processing_officer', 'leader'], AG.soYTe);
  await issue('tuphap', ['processing_officer', 'leader'], AG.tuPhap);
  await issue('ubnd', ['processing_officer', 'leader'], AG.ubnd);
  await issue('bhxh', ['processing_officer'], AG.bhxh);
  await issue('chicuc', ['desk_officer', 'processing_officer', 'leader'], AG.chiCuc);
  // The centre receives 1.001919 (its receiving desk); the catalogue's copy reaches intake asynchronously.
  code = await eventually(async () => {
    const r = await as('desk-centre')('POST', '/v1/dossiers', {
      procedureCode: '1.001919',
      source: 'desk',
      channel: 'direct',
      applicant,
      components: COMPONENTS,
    });
    return r.status === 201 ? (r.body.code as string) : undefined;
  });
}, 90_000);
afterAll(() => suite.close());

describe('an inter-agency dossier walked by the officers of each agency with their own keys', () => {
  it('reaches each agency in turn, which finds it, acts on its own step and sees the earlier ones', async () => {
    // Nobody outside the owners holds a step yet.
    expect(await listed('tuphap')).not.toContain(code);
    expectForbidden(await as('tuphap')('GET', `/v1/dossiers/${code}`));

    // The desk hands it to Sở Y tế: task and deadline as the procedure sets them (10 working days).
    const toSyt = await act('desk-centre', code, 'assign', {
      agencyCode: AG.soYTe,
      unit: 'Phòng Nghiệp vụ Y',
      officer: 'cv.syt',
      mode: 'sequential',
    });
    expect(toSyt.status).toBe(200);
    expect(await listed('syt')).toContain(code);
    expect(await listed('syt', '&officer=cv.syt')).toContain(code);
    const atSyt = await as('syt')('GET', `/v1/dossiers/${code}`);
    expect(atSyt.status).toBe(200);
    expect(atSyt.body.steps).toEqual([
      // The desk's transfer of the paper dossier, closed by its hand-over to Sở Y tế.
      expect.objectContaining({
        seq: 1,
        agencyCode: AG.centre,
        outcome: 'handed_over',
        timeliness: 'on_time',
      }),
      expect.objectContaining({
        seq: 2,
        agencyCode: AG.soYTe,
        task: 'Tiếp nhận, lựa chọn người đủ tiêu chuẩn, lập hồ sơ đề nghị bổ nhiệm',
        dueAt: '2026-12-07T10:00:00.000Z', // the 10th working day after Mon 23/11, end of office hours
        completedAt: null,
        lateNow: false,
      }),
    ]);
    // Holding a step is not owning the dossier.
    expectForbidden(await act('syt', code, 'resolve', { resultNumber: '1/QĐ-UBND' }));

    // Sở Y tế asks the social insurance for an opinion in parallel, then hands over to Sở Tư pháp.
    expect(
      (
        await act('syt', code, 'assign', {
          agencyCode: AG.bhxh,
          unit: 'Phòng Giám định',
          officer: 'cv.bhxh',
          mode: 'parallel',
          task: 'Có ý kiến',
        })
      ).status,
    ).toBe(200);
    const handOver = await act('syt', code, 'assign', {
      agencyCode: AG.tuPhap,
      unit: 'Phòng Bổ trợ tư pháp',
      officer: 'cv.tp',
      mode: 'sequential',
    });
    expect(handOver.status).toBe(200);
    expect(handOver.body.currentOfficer).toBe('cv.tp');

    // Sở Tư pháp finds it now, with Sở Y tế's completion time; the parallel step stays open.
    expect(await listed('tuphap')).toContain(code);
    const atTp = await as('tuphap')('GET', `/v1/dossiers/${code}`);
    expect(atTp.status).toBe(200);
    const steps = atTp.body.steps as any[];
    expect(steps.map((s) => [s.seq, s.agencyCode, s.outcome])).toEqual([
      [1, AG.centre, 'handed_over'],
      [2, AG.soYTe, 'handed_over'],
      [3, AG.bhxh, null],
      [4, AG.tuPhap, null],
    ]);
    expect(steps[1].completedAt).toBe(now.toISOString());
    expect(steps[1].timeliness).toBe('early');
    expect(steps[3].dueAt).toBe('2026-11-30T10:00:00.000Z'); // 5 working days

    // Sở Y tế's step is done: it still reads the dossier (records, control sheet) but no longer acts.
    expect((await as('syt')('GET', `/v1/dossiers/${code}`)).status).toBe(200);
    expect((await as('syt')('GET', `/v1/dossiers/${code}/slips/05`)).status).toBe(200);
    expectForbidden(
      await act('syt', code, 'assign', { agencyCode: AG.ubnd, unit: 'Văn phòng', mode: 'sequential' }),
    );

    // Sở Tư pháp hands over to UBND tỉnh: only its own step closes, the parallel one stays open.
    expect(
      (
        await act('tuphap', code, 'assign', {
          agencyCode: AG.ubnd,
          unit: 'Văn phòng UBND tỉnh',
          officer: 'cv.ubnd',
          mode: 'sequential',
        })
      ).status,
    ).toBe(200);
    expect(await listed('ubnd', '&officer=cv.ubnd')).toContain(code);
    const afterTp = (await as('ubnd')('GET', `/v1/dossiers/${code}`)).body.steps as any[];
    expect(afterTp.map((s) => [s.seq, s.outcome])).toEqual([
      [1, 'handed_over'],
      [2, 'handed_over'],
      [3, null],
      [4, 'handed_over'],
      [5, null],
    ]);

    // The social insurance officer who still holds the parallel step finds it by officer and completes it.
    expect(await listed('bhxh', '&officer=cv.bhxh')).toContain(code);
    expect(await listed('bhxh', `&agencyCode=${AG.bhxh}`)).toContain(code);
    const done = await call(
      keys['bhxh']!,
      'POST',
      `/v1/dossiers/${code}/steps/3/complete`,
      { outcome: 'completed', note: 'Đồng ý' },
      {
        'if-match': (await as('bhxh')('GET', `/v1/dossiers/${code}`)).etag,
      },
    );
    expect(done.status).toBe(200);
    // Its step is done; another agency's open step is not its to complete.
    const notTheirs = await call(
      keys['bhxh']!,
      'POST',
      `/v1/dossiers/${code}/steps/5/complete`,
      {},
      { 'if-match': done.etag },
    );
    expectForbidden(notTheirs);

    // The deciding agency resolves; the steps still open close with the dossier.
    expect((await act('ubnd', code, 'resolve', { resultNumber: '15/QĐ-UBND' })).status).toBe(200);
    const final = (await as('ubnd')('GET', `/v1/dossiers/${code}`)).body.steps as any[];
    expect(final.every((s) => s.completedAt !== null)).toBe(true);
    expect(final.find((s: any) => s.seq === 3).outcome).toBe('completed');
    expect(final.find((s: any) => s.seq === 5).outcome).toBe('closed');
  });

  it('returns a step for correction to the agency that handed it over', async () => {
    const second = await as('desk-centre')('POST', '/v1/dossiers', {
      procedureCode: '1.001919',
      source: 'desk',
      channel: 'direct',
      applicant,
      components: COMPONENTS,
    });
    expect(second.status).toBe(201);
    const c = second.body.code as string;
    await act('desk-centre', c, 'assign', {
      agencyCode: AG.soYTe,
      unit: 'Phòng Nghiệp vụ Y',
      officer: 'cv.syt',
      mode: 'sequential',
    });
    await act('syt', c, 'assign', {
      agencyCode: AG.tuPhap,
      unit: 'Phòng Bổ trợ tư pháp',
      officer: 'cv.tp',
      mode: 'sequential',
    });
    const back = await call(
      keys['tuphap']!,
      'POST',
      `/v1/dossiers/${c}/steps/3/complete`,
      { outcome: 'returned', note: 'Thiếu phiếu lý lịch tư pháp số 2' },
      {
        'if-match': (await as('tuphap')('GET', `/v1/dossiers/${c}`)).etag,
      },
    );
    expect(back.status).toBe(200);
    expect(back.body.currentUnit).toBe('Phòng Nghiệp vụ Y');
    const steps = (await as('syt')('GET', `/v1/dossiers/${c}`)).body.steps as any[];
    expect(steps.map((s) => [s.seq, s.agencyCode, s.outcome])).toEqual([
      [1, AG.centre, 'handed_over'],
      [2, AG.soYTe, 'handed_over'],
      [3, AG.tuPhap, 'returned'],
      [4, AG.soYTe, null],
    ]);
    // Sở Y tế holds a step again: it may act on the dossier once more.
    expect(await listed('syt', '&officer=cv.syt')).toContain(c);
  });
});

describe('dossiers outside the scope', () => {
  it('refuses another agency to read, list, act, print or read the messages of a dossier', async () => {
    expectForbidden(await as('chicuc')('GET', `/v1/dossiers/${code}`));
    expectForbidden(await as('chicuc')('GET', `/v1/dossiers/${code}/history`));
    expectForbidden(await as('chicuc')('GET', `/v1/dossiers/${code}/slips/01`));
    expectForbidden(await as('chicuc')('GET', `/v1/dossiers/${code}/notifications`));
    expectForbidden(await as('chicuc')('GET', `/v1/dossiers/${code}/notification-preferences`));
    expectForbidden(
      await call(
        keys['chicuc']!,
        'POST',
        `/v1/dossiers/${code}/return`,
        { method: 'desk' },
        { 'if-match': '"1"' },
      ),
    );
    expect(await listed('chicuc')).not.toContain(code);
    const filter = await as('chicuc')('GET', `/v1/dossiers?agencyCode=${AG.tuPhap}`);
    expectForbidden(filter);
    expect(filter.body.errors[0].pointer).toBe('/agencyCode');
    // The dossier's own agencies and the step holders still read its messages.
    expect((await as('syt')('GET', `/v1/dossiers/${code}/notifications`)).status).toBe(200);
  });

  it('files a dossier only for a procedure of an agency in scope', async () => {
    // 1.001919 is received by the centre and decided by UBND tỉnh: not Sở Tư pháp's desk.
    const outside = await as('desk-tuphap')('POST', '/v1/dossiers', {
      procedureCode: '1.001919',
      source: 'desk',
      channel: 'direct',
      applicant,
      components: COMPONENTS,
    });
    expectForbidden(outside);
    const before = await admin('GET', '/v1/dossiers?procedureCode=1.001919&count=true');
    expect(before.body.total).toBe(2); // nothing was written by the refused filing
  });
});

describe('feedback outside the scope', () => {
  let fb = '';
  beforeAll(async () => {
    const r = await as('desk-centre')('POST', '/v1/feedback', {
      kind: 'regulation',
      procedureCode: '1.001919',
      agencyCode: AG.soYTe,
      sender: { name: 'Phạm Văn Cường', phone: '0913555666', email: 'cuong@example.vn' },
      content: 'Đề nghị công khai danh sách giám định viên đã được bổ nhiệm.',
    });
    expect(r.status).toBe(201);
    fb = r.body.code;
  });

  it('refuses every read and action of another agency and leaves the feedback unchanged', async () => {
    const list = (await as('tuphap')('GET', '/v1/feedback?limit=200')).body.items as { code: string }[];
    expect(list.map((f) => f.code)).not.toContain(fb);
    expectForbidden(await as('tuphap')('GET', `/v1/feedback?agencyCode=${AG.soYTe}`));
    expectForbidden(await as('tuphap')('GET', `/v1/feedback/${fb}`));
    expectForbidden(await as('tuphap')('GET', `/v1/feedback/${fb}/history`));
    expectForbidden(
      await call(
        keys['tuphap']!,
        'POST',
        `/v1/feedback/${fb}/assign`,
        { unit: 'Phòng X' },
        { 'if-match': '"1"' },
      ),
    );
    expectForbidden(
      await call(
        keys['tuphap']!,
        'POST',
        `/v1/feedback/${fb}/answer`,
        { answer: 'Đã xử lý' },
        { 'if-match': '"1"' },
      ),
    );
    const after = await admin('GET', `/v1/feedback/${fb}`);
    expect(after.body).toMatchObject({ status: 'received', version: 1 });
    // Receiving a feedback for another agency is refused too.
    expectForbidden(
      await as('desk-tuphap')('POST', '/v1/feedback', {
        kind: 'regulation',
        procedureCode: '1.001919',
        agencyCode: AG.soYTe,
        sender: { name: 'Đỗ Thị Mai', phone: '0914777888' },
        content: 'Nội dung phản ánh',
      }),
    );
  });

  it('lets the agency it is addressed to read, assign and answer it, logging each read of the contact details', async () => {
    expect(
      ((await as('syt')('GET', `/v1/feedback?agencyCode=${AG.soYTe}`)).body.items as { code: string }[]).map(
        (f) => f.code,
      ),
    ).toContain(fb);
    const read = await as('syt')('GET', `/v1/feedback/${fb}`);
    expect(read.status).toBe(200);
    expect(read.body.sender).toMatchObject({ phone: '0913555666', email: 'cuong@example.vn' });
    const assigned = await call(
      keys['syt']!,
      'POST',
      `/v1/feedback/${fb}/assign`,
      { unit: 'Phòng Nghiệp vụ Y' },
      { 'if-match': read.etag },
    );
    expect(assigned.status).toBe(200);
    const answered = await call(
      keys['syt']!,
      'POST',
      `/v1/feedback/${fb}/answer`,
      { answer: 'Sở Y tế sẽ công khai trên Cổng thông tin.' },
      { 'if-match': assigned.etag },
    );
    expect(answered.status).toBe(200);
    const intake = suite.resources.dbFor<any>('intake');
    const logged = await intake
      .selectFrom('personal_data_access')
      .selectAll()
      .where('feedback_id', '=', read.body.id)
      .where('actor_agency', '=', AG.soYTe)
      .execute();
    expect(logged).toEqual([
      expect.objectContaining({ purpose: 'read feedback', actor_agency: AG.soYTe, dossier_id: null }),
    ]);
  });
});

describe('reports outside the scope', () => {
  it('keeps each agency to its own reports', async () => {
    const mine = await as('syt')('POST', '/v1/reports', {
      kind: 'dossier-statistics',
      params: { agencyCode: AG.soYTe, period: '2026-10' },
    });
    expect(mine.status).toBe(202);
    expectForbidden(await as('tuphap')('GET', `/v1/reports/${mine.body.id}`));
    expectForbidden(
      await as('tuphap')('POST', '/v1/reports', {
        kind: 'dossier-statistics',
        params: { agencyCode: AG.soYTe, period: '2026-10' },
      }),
    );
    expectForbidden(await as('tuphap')('GET', `/v1/reports?agencyCode=${AG.soYTe}`));
    const theirs = (await as('tuphap')('GET', '/v1/reports')).body.items as { id: string }[];
    expect(theirs.map((r) => r.id)).not.toContain(mine.body.id);
    expect((await as('syt')('GET', `/v1/reports/${mine.body.id}`)).status).toBe(200);
    expect(
      ((await as('syt')('GET', '/v1/reports')).body.items as { id: string }[]).map((r) => r.id),
    ).toContain(mine.body.id);
    // UBND tỉnh sees its departments' reports (a parent agency sees its sub-agencies).
    expect((await as('ubnd')('GET', `/v1/reports/${mine.body.id}`)).status).toBe(200);
  });
});
