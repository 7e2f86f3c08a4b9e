import { isUnderByCode, subtreeByCode } from '../src/domain/agency-tree';
import { BadInput } from '../src/domain/bad-input';
import { previousPeriod, resolvePeriod, samePeriodLastYear } from '../src/domain/period';

const span = (spec: Parameters<typeof resolvePeriod>[0]) => {
  const p = resolvePeriod(spec);
  return [p.from, p.to];
};

describe('periods', () => {
  it('reads calendar months, quarters, half-years and years', () => {
    expect(span({ period: '2026-02' })).toEqual(['2026-02-01', '2026-02-28']);
    expect(span({ period: '2028-02' })).toEqual(['2028-02-01', '2028-02-29']);
    expect(span({ period: '2026-Q3' })).toEqual(['2026-07-01', '2026-09-30']);
    expect(span({ period: '2026-H2' })).toEqual(['2026-07-01', '2026-12-31']);
    expect(span({ period: '2026' })).toEqual(['2026-01-01', '2026-12-31']);
  });

  it('reads the statutory data-cut periods of Nghị định 09/2019: the 15th to the 14th', () => {
    expect(span({ period: '2026-Q1', basis: 'statutory' })).toEqual(['2025-12-15', '2026-03-14']);
    expect(span({ period: '2026-Q3', basis: 'statutory' })).toEqual(['2026-06-15', '2026-09-14']);
    expect(span({ period: '2026-H1', basis: 'statutory' })).toEqual(['2025-12-15', '2026-06-14']);
    expect(span({ period: '2026-H2', basis: 'statutory' })).toEqual(['2026-06-15', '2026-12-14']);
    expect(span({ period: '2026', basis: 'statutory' })).toEqual(['2025-12-15', '2026-12-14']);
    expect(span({ period: '2026-01', basis: 'statutory' })).toEqual(['2025-12-15', '2026-01-14']);
  });

  it('reads a custom range, inclusive', () => {
    expect(resolvePeriod({ from: '2026-03-05', to: '2026-04-20' })).toMatchObject({
      kind: 'custom',
      label: '2026-03-05..2026-04-20',
    });
  });

  it('finds the previous period and the same period last year', () => {
    expect(previousPeriod(resolvePeriod({ period: '2026-Q1' })).label).toBe('2025-Q4');
    expect(previousPeriod(resolvePeriod({ period: '2026-01', basis: 'statutory' }))).toMatchObject({
      label: '2025-12',
      from: '2025-11-15',
      to: '2025-12-14',
    });
    expect(samePeriodLastYear(resolvePeriod({ period: '2026-H2' })).label).toBe('2025-H2');
    expect(previousPeriod(resolvePeriod({ from: '2026-03-11', to: '2026-03-20' }))).toMatchObject({
      from: '2026-03-01',
      to: '2026-03-10',
    });
    expect(samePeriodLastYear(resolvePeriod({ from: '2024-02-29', to: '2024-03-31' }))).toMatchObject({
      from: '2023-02-28',
      to: '2023-03-31',
    });
  });

  it.each([
    [{ period: '2026-Q5' }, '/period', 'invalid_period'],
    [{ from: '2026-03-01', to: '2026-02-01' }, '/to', 'invalid_period'],
    [{ from: '2014-01-01', to: '2024-01-01' }, '/to', 'period_too_long'],
    [{ from: '2026-01-01' }, '/to', 'invalid_period'],
    [{ period: '2026', from: '2026-01-01', to: '2026-02-01' }, '/period', 'invalid_period'],
    [{ period: '1999' }, '/period', 'period_out_of_range'],
  ])('refuses %j naming %s', (spec, pointer, code) => {
    expect(() => resolvePeriod(spec)).toThrow(BadInput);
    try {
      resolvePeriod(spec);
    } catch (err) {
      expect(err).toMatchObject({ pointer, code });
    }
  });
});

describe('the agency tree by electronic code (Quyết định 20/2020)', () => {
  it('puts the units of a department below it, and every unit of the province below the province', () => {
    expect(isUnderByCode('000.00.17.H55', '000.01.17.H55')).toBe(true);
    expect(isUnderByCode('000.00.17.H55', '001.01.17.H55')).toBe(true);
    expect(isUnderByCode('000.00.00.H55', '001.21.31.H55')).toBe(true);
    expect(isUnderByCode('000.21.31.H55', '001.21.31.H55')).toBe(true);
  });

  it('keeps other departments, other provinces and sibling units out', () => {
    expect(isUnderByCode('000.00.17.H55', '000.00.12.H55')).toBe(false);
    expect(isUnderByCode('000.00.17.H55', '000.00.17.H56')).toBe(false);
    expect(isUnderByCode('000.01.17.H55', '000.02.17.H55')).toBe(false);
    expect(isUnderByCode('001.00.17.H55', '001.05.17.H55')).toBe(false);
  });

  it('lists a subtree among the codes known', () => {
    expect(subtreeByCode('000.00.17.H55', ['000.00.12.H55', '000.02.17.H55', '000.01.17.H55'])).toEqual([
      '000.00.17.H55',
      '000.01.17.H55',
      '000.02.17.H55',
    ]);
  });
});
