import { dossierCode, dossierCodePrefix, pendingCode } from '../../src/domain/dossier-code';
import { inForceOn, type ProcedureHistory } from '../../src/domain/procedure-in-force';

const version = (v: number, validFrom: string) =>
  ({ code: '1.004579', version: v, valid_from: validFrom }) as ProcedureHistory['versions'][number];

describe('the procedure version in force on a date', () => {
  const h: ProcedureHistory = {
    versions: [version(1, '2025-01-01'), version(2, '2026-12-01'), version(3, '2026-12-01')],
    statuses: [
      { effective_from: '2025-01-01', status: 'published', event_version: 1 },
      { effective_from: '2027-01-01', status: 'suspended', event_version: 4 },
      { effective_from: '2027-01-01', status: 'published', event_version: 5 },
      { effective_from: '2027-06-01', status: 'abolished', event_version: 6 },
    ],
  };

  it('takes the latest version valid on the date, the higher number on the same date', () => {
    expect(inForceOn(h, '2024-12-31')).toBeUndefined();
    expect(inForceOn(h, '2026-11-30')?.version.version).toBe(1);
    expect(inForceOn(h, '2026-12-01')?.version.version).toBe(3);
  });

  it('takes the latest status change by the date, the later event on the same date', () => {
    expect(inForceOn(h, '2027-01-01')?.status).toBe('published');
    expect(inForceOn(h, '2027-06-01')?.status).toBe('abolished');
    expect(inForceOn({ versions: h.versions, statuses: [] }, '2026-01-01')?.status).toBe('published');
  });
});

describe('the dossier code written by the receipt statement', () => {
  it('is the prefix and the serial padded to four digits, as dossierCode makes it', () => {
    const at = new Date('2026-11-23T02:00:00Z');
    expect(dossierCodePrefix('000.20.17.H55', at)).toBe('000.20.17.H55-261123-');
    expect(pendingCode('000.20.17.H55', at)).toBe('000.20.17.H55-261123-0000');
    expect(dossierCode('000.20.17.H55', at, 7)).toBe('000.20.17.H55-261123-0007');
    expect(dossierCode('000.20.17.H55', at, 12345)).toBe('000.20.17.H55-261123-12345');
  });
});
