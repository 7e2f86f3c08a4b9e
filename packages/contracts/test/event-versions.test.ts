import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  currentSchemaVersion,
  decodePayload,
  eventJsonSchemas,
  eventPayloads,
  eventTypes,
  eventVersions,
  parseEvent,
} from '../src';

/** Events as version 1 of the contracts wrote them (recorded from an outbox before versions were carried). */
const recordedV1Received = {
  id: '0b8f3f0e-7c43-4c55-9d1e-4a8f3d2a9c11',
  type: 'dossier.received',
  source: 'intake',
  entityId: '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b',
  entityVersion: 1,
  occurredAt: '2026-11-23T02:00:00.000Z',
  requestId: 'req-1',
  payload: {
    dossierId: '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b',
    code: '000.00.17.H55-261123-0001',
    procedureCode: '1.004579',
    procedureVersion: 1,
    fieldCode: 'DUOC_PHAM',
    agencyCode: '000.00.17.H55',
    receivingAgencyCode: '000.00.17.H55',
    channel: 'direct',
    homeService: false,
    submittedAt: '2026-11-23T02:00:00.000Z',
    receivedAt: '2026-11-23T02:00:00.000Z',
    dueAt: '2026-12-07T10:00:00.000Z',
    feesDue: 500000,
    components: { total: 3, digitized: 2, reused: 1, fromCitizenStore: 0 },
    ruleSetId: 'ND118-2025',
  },
};

const recordedV1Published = {
  procedureId: '5e0c1f9a-2b3c-4d5e-8f90-a1b2c3d4e5f6',
  code: '1.004579',
  localCode: '1.004579.000.00.00.H55',
  version: 2,
  name: 'Cấp chứng chỉ hành nghề dược',
  fieldCode: 'DUOC_PHAM',
  decidingAgencyCode: '000.00.17.H55',
  receivingAgencyCode: '000.00.17.H55',
  authorityLevel: 'province',
  onlineLevel: 'full',
  methods: [],
  components: [],
  interAgency: null,
  feeBearing: true,
  complete: true,
  decisionNumber: '184/QĐ-UBND',
  validFrom: '2025-03-01',
};

describe('event contract versions', () => {
  it('reads a recorded version-1 dossier.received as the current version, the new facts unknown', () => {
    const e = parseEvent(recordedV1Received);
    expect(e.schemaVersion).toBe(currentSchemaVersion('dossier.received'));
    expect(e.payload).toMatchObject({
      code: '000.00.17.H55-261123-0001',
      authorityLevel: null,
      populationDataUsed: null,
      processingTime: null,
    });
    // Before version 2 the due date at receipt was the legal one.
    expect(e.payload).toMatchObject({ originalDueAt: '2026-12-07T10:00:00.000Z' });
  });

  it('reads version-1 procedure.published and procedure.changed alike', () => {
    for (const type of ['procedure.published', 'procedure.changed'] as const) {
      const p = decodePayload(type, 1, recordedV1Published);
      expect(p).toMatchObject({
        code: '1.004579',
        legacyLevel: null,
        decisionSignedOn: null,
        legalBasisEffectiveFrom: null,
      });
    }
  });

  it('reads a version-1 abolition, suspension or resumption with its signing date unknown', () => {
    const v1 = {
      procedureId: recordedV1Published.procedureId,
      code: '1.004579',
      version: 2,
      status: 'abolished',
      decisionNumber: '9/QĐ-UBND',
      effectiveFrom: '2026-06-01',
    };
    for (const type of ['procedure.abolished', 'procedure.suspended', 'procedure.resumed'] as const) {
      expect(decodePayload(type, 1, v1)).toMatchObject({
        decisionNumber: '9/QĐ-UBND',
        decisionSignedOn: null,
      });
    }
  });

  it('reads a version-1 status change with its due dates unknown', () => {
    const p = decodePayload('dossier.status_changed', 1, {
      ...recordedV1Received.payload,
      action: 'accept',
      from: 'submitted',
      to: 'received',
      at: '2026-11-23T02:00:00.000Z',
      timeliness: null,
    });
    expect(p).toMatchObject({ to: 'received', dueAt: null, legalDueAt: null, originalDueAt: null });
  });

  it('reads a version-1 supplement completion with its due date as the one judged against', () => {
    const p = decodePayload('dossier.supplement_completed', 1, {
      ...recordedV1Received.payload,
      completedAt: '2026-11-25T02:00:00.000Z',
      dueAt: '2026-12-09T10:00:00.000Z',
    });
    expect(p).toMatchObject({
      dueAt: '2026-12-09T10:00:00.000Z',
      legalDueAt: '2026-12-09T10:00:00.000Z',
      waitedWorkingDays: null,
    });
  });

  it('refuses a version newer than it knows, and a current one that breaks its schema', () => {
    expect(() => decodePayload('dossier.received', 99, recordedV1Received.payload)).toThrow(
      /newer than this build reads/,
    );
    expect(() => parseEvent({ ...recordedV1Received, schemaVersion: 2 })).toThrow();
  });

  it('has, for every type, a readable path from each older version to the current one', () => {
    for (const type of eventTypes) {
      const { current, older } = eventVersions[type];
      expect(eventPayloads[type]).toBeDefined();
      for (let v = 1; v < current; v++) expect(older[v]).toBeDefined();
    }
  });
});

describe('the event contracts as JSON Schema', () => {
  it('are committed as generated, one file per type and version (run `npm run openapi` after changing one)', () => {
    const dir = join(__dirname, '..', 'schemas');
    const generated = eventJsonSchemas();
    expect(readdirSync(dir).sort()).toEqual(Object.keys(generated).sort());
    for (const [name, content] of Object.entries(generated))
      expect({ name, content: readFileSync(join(dir, name), 'utf8') }).toEqual({ name, content });
  });
});
