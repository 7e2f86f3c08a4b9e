import { AgenciesOut, PeriodOut } from '@tthc/contracts';
import { z } from 'zod';
import { DrillItem } from './indicators.schemas';

export const StatisticsCell = z
  .object({
    period: PeriodOut,
    agencies: AgenciesOut,
    row: z.string(),
    column: z.string(),
    value: z.number().int().nonnegative().meta({ description: 'the number in the cell' }),
    items: z.array(DrillItem),
    nextCursor: z.string().nullable(),
  })
  .meta({
    id: 'StatisticsCell',
    examples: [
      {
        period: {
          kind: 'quarter',
          basis: 'calendar',
          label: '2026-Q1',
          from: '2026-01-01',
          to: '2026-03-31',
        },
        agencies: { reportingAgency: '000.00.17.H55', agencyCodes: ['000.00.17.H55'], tree: 'code' },
        row: 'total',
        column: 'resolvedLate',
        value: 1,
        items: [
          {
            code: '000.20.17.H55-260203-0002',
            kind: 'dossier',
            fact: 'resolved 2026-03-02, due 2026-02-24 (legal): late',
            detail: {
              dossierId: '4b3c1f0e-2a9d-4c8e-9f7a-6d5e4c3b2a10',
              endKind: 'resolved',
              legalOutcome: 'late',
            },
          },
        ],
        nextCursor: null,
      },
    ],
  });
