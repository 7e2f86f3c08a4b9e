import { AgencyDirectory } from '../../src/agencies';

const SO_Y_TE = { code: '000.00.17.H55', name: 'Sở Y tế', parentCode: '000.00.00.H55', kind: 'department' };

function directory(answers: (() => { agencies: (typeof SO_Y_TE)[] })[]) {
  let now = 0;
  let asked = 0;
  const d = new AgencyDirectory({
    fetch: async () => answers[Math.min(asked++, answers.length - 1)]!(),
    clock: () => now,
    ttlMs: 60_000,
    retryMs: 10_000,
    missRetryMs: 5_000,
  });
  return { d, asked: () => asked, advance: (ms: number) => (now += ms) };
}

describe('agencies by name', () => {
  it('names an agency from the directory, asking once for many lookups', async () => {
    const t = directory([() => ({ agencies: [SO_Y_TE] })]);
    const names = await Promise.all([1, 2, 3].map(() => t.d.nameOf(SO_Y_TE.code)));
    expect(names).toEqual(['Sở Y tế', 'Sở Y tế', 'Sở Y tế']);
    expect(t.asked()).toBe(1);
  });

  it('prints the code while the catalogue cannot answer, and asks again after a while', async () => {
    const t = directory([
      () => {
        throw new Error('no answer');
      },
      () => ({ agencies: [SO_Y_TE] }),
    ]);
    expect(await t.d.nameOf(SO_Y_TE.code)).toBe(SO_Y_TE.code);
    t.advance(1_000);
    expect(await t.d.nameOf(SO_Y_TE.code)).toBe(SO_Y_TE.code);
    expect(t.asked()).toBe(1);
    t.advance(10_000);
    expect(await t.d.nameOf(SO_Y_TE.code)).toBe('Sở Y tế');
  });

  it('asks again for an agency created since, at most every few seconds', async () => {
    const centre = { ...SO_Y_TE, code: '000.20.17.H55', name: 'Trung tâm Phục vụ hành chính công' };
    const t = directory([() => ({ agencies: [SO_Y_TE] }), () => ({ agencies: [SO_Y_TE, centre] })]);
    expect(await t.d.nameOf(centre.code)).toBe(centre.code);
    expect(await t.d.nameOf(centre.code)).toBe(centre.code);
    expect(t.asked()).toBe(1);
    t.advance(5_000);
    expect(await t.d.nameOf(centre.code)).toBe(centre.name);
    expect(t.asked()).toBe(2);
  });
});
