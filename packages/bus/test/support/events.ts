import { randomUUID } from 'node:crypto';

/** The payload of a dossier.received event as the contract reads it. */
export const receivedPayload = (code: string, dossierId: string = randomUUID()) => ({
  dossierId,
  code,
  procedureCode: '1.004579',
  procedureVersion: 1,
  fieldCode: 'ATTP',
  agencyCode: '000.00.17.H55',
  receivingAgencyCode: '000.20.17.H55',
  channel: 'online' as const,
  homeService: false,
  submittedAt: '2026-11-23T02:00:00.000Z',
  receivedAt: '2026-11-23T02:00:00.000Z',
  dueAt: null,
  feesDue: 0,
  components: { total: 1, digitized: 1, reused: 0, fromCitizenStore: 0 },
  ruleSetId: 'ND118-2025',
  authorityLevel: 'province' as const,
  onlineLevel: 'full' as const,
  legacyLevel: 4,
  feeBearing: false,
  resultIsPaper: false,
  processingTime: { value: 10, unit: 'working_days' as const },
  populationDataUsed: false,
  originalDueAt: null,
});
