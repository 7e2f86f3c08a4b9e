import { emptyBag } from '../src/domain/measures';
import { Groups } from '../src/figures/groups';
import { buildTable, FigureIdentityError } from '../src/figures/statistics-table';

const key = {
  agencyCode: '000.00.17.H55',
  fieldCode: 'DUOC_PHAM',
  procedureCode: '1.004579',
  authorityLevel: 'province',
};

describe('the identities of Biểu 06', () => {
  it('hold on every row of a consistent table', () => {
    const groups = new Groups();
    groups.add(key, {
      ...emptyBag(),
      receivedOnline: 2,
      carriedOver: 1,
      ended: 2,
      legalEarly: 1,
      legalLate: 1,
      inProgress: 1,
      legalWithin: 1,
    });
    expect(() => buildTable(groups, { byProcedure: true })).not.toThrow();
  });

  it.each([
    ['resolved = early + on time + late', { receivedOnline: 1, ended: 1, legalEarly: 0 }],
    [
      'in progress = within time + overdue',
      { receivedOnline: 1, inProgress: 1, legalWithin: 0, legalOverdue: 0 },
    ],
    ['received = resolved + in progress', { receivedOnline: 2, ended: 1, legalOnTime: 1 }],
  ])('refuse to answer a row that breaks "%s"', (identity, counts) => {
    const groups = new Groups();
    groups.add(key, { ...emptyBag(), ...counts });
    expect(() => buildTable(groups, { byProcedure: false })).toThrow(
      new FigureIdentityError('total', identity, expect.anything()),
    );
    try {
      buildTable(groups, { byProcedure: false });
    } catch (err) {
      expect((err as FigureIdentityError).identity).toBe(identity);
    }
  });
});
