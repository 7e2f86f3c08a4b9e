import { AGENCIES, seedReferenceData, startCatalogue, type Harness } from './fixtures';

let h: Harness;
beforeAll(async () => {
  h = await startCatalogue();
  await seedReferenceData(h);
});
afterAll(() => h.close());

const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
  h.app.inject({ method, url, headers: h.headers, ...(payload ? { payload } : {}) });

describe('agencies', () => {
  it('shows the tree of agencies under their roots', async () => {
    const tree = (await call('GET', '/v1/agencies?view=tree')).json().items;
    expect(tree.map((n: { code: string }) => n.code)).toEqual(['000.00.00.H55']);
    const root = tree[0];
    expect(root.children.map((n: { code: string }) => n.code)).toEqual(['000.00.17.H55', '000.20.17.H55']);
    expect(root.children[0].children.map((n: { code: string }) => n.code)).toEqual(['000.01.17.H55']);
    const one = (await call('GET', '/v1/agencies/000.00.17.H55')).json();
    expect(one).toMatchObject({
      code: '000.00.17.H55',
      name: 'Sở Y tế',
      children: [{ code: '000.01.17.H55' }],
    });
  });

  it('refuses a malformed electronic code with the reason, and an unknown parent', async () => {
    const bad = await call('POST', '/v1/agencies', { ...AGENCIES[1], code: '000.00.17.h5' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ pointer: '/code' });
    expect(bad.json().errors[0].detail).toContain('letter and two digits');
    const orphan = await call('POST', '/v1/agencies', {
      ...AGENCIES[1],
      code: '000.02.17.H55',
      parentCode: '000.99.17.H55',
    });
    expect(orphan.statusCode).toBe(422);
    expect(orphan.json().errors[0].pointer).toBe('/parentCode');
  });

  it('moves an agency but refuses a move that would close a cycle', async () => {
    const cycle = await call('PUT', '/v1/agencies/000.00.17.H55', {
      name: 'Sở Y tế',
      parentCode: '000.01.17.H55',
      level: 'province',
      kind: 'department',
    });
    expect(cycle.statusCode).toBe(409);
    expect(cycle.json().code).toBe('agency_cycle');
    const moved = await call('PUT', '/v1/agencies/000.01.17.H55', {
      name: 'Chi cục ATVSTP',
      parentCode: '000.00.00.H55',
      level: 'province',
      kind: 'sub_department',
    });
    expect(moved.statusCode).toBe(200);
    expect(
      (await call('GET', '/v1/agencies/000.00.00.H55')).json().children.map((n: { code: string }) => n.code),
    ).toContain('000.01.17.H55');
  });

  it('records the agencies a service centre receives for, refusing an unknown one', async () => {
    const centre = {
      name: 'Trung tâm Phục vụ hành chính công',
      parentCode: '000.00.00.H55',
      level: 'province',
      kind: 'service_center',
    };
    const unknown = await call('PUT', '/v1/agencies/000.20.17.H55', {
      ...centre,
      receivesFor: ['000.00.17.H55', '000.00.99.H55'],
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors).toEqual([expect.objectContaining({ pointer: '/receivesFor/1' })]);
    expect((await call('GET', '/v1/agencies/000.20.17.H55')).json().receivesFor).toEqual([]);
    const ok = await call('PUT', '/v1/agencies/000.20.17.H55', { ...centre, receivesFor: ['000.00.17.H55'] });
    expect(ok.statusCode).toBe(200);
    expect((await call('GET', '/v1/agencies/000.20.17.H55')).json()).toMatchObject({
      receivesFor: ['000.00.17.H55'],
      children: [],
    });
  });

  it('renames a field and lists fields in Vietnamese order', async () => {
    await call('PUT', '/v1/fields/ATTP', { name: 'An toàn thực phẩm' });
    await call('POST', '/v1/fields', { code: 'Y_TE_DU_PHONG', name: 'Y tế dự phòng' });
    await call('POST', '/v1/fields', { code: 'DAN_SO', name: 'Dân số' });
    const names = (await call('GET', '/v1/fields')).json().items.map((f: { name: string }) => f.name);
    expect(names).toEqual([
      'An toàn thực phẩm',
      'Dân số',
      'Dược phẩm',
      'Khám bệnh, chữa bệnh',
      'Y tế dự phòng',
    ]);
    expect((await call('PUT', '/v1/fields/KHONG_CO', { name: 'x' })).statusCode).toBe(404);
  });
});
