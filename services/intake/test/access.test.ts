import { randomUUID } from 'node:crypto';
import { openTestResources, type TestResources } from '@tthc/testkit';
import fc from 'fast-check';
import { dossierAccess, requireDossierAction, stepsHeldBy } from '../src/access';
import { insertDossier, listDossiers } from '../src/db/dossier.repository';
import { insertStep } from '../src/db/facts.repository';
import { SCHEMA, type IntakeDb } from '../src/db/schema';

const dossier = { code: 'D-1', agency_code: 'UBND', receiving_agency_code: 'CENTRE' };
const step = (seq: number, agency_code: string, done = false) => ({
  seq,
  agency_code,
  completed_at: done ? new Date('2026-11-24T02:00:00Z') : null,
});

describe('who may see and act on a dossier', () => {
  it('gives full access to the agencies owning it and to province-wide callers', () => {
    expect(dossierAccess(null, dossier, [])).toBe('full');
    expect(dossierAccess(['UBND', 'SYT'], dossier, [])).toBe('full');
    expect(dossierAccess(['CENTRE'], dossier, [])).toBe('full');
  });

  it('lets an agency holding an open step read the dossier and act on that step only', () => {
    const steps = [step(1, 'SYT', true), step(2, 'STP')];
    expect(dossierAccess(['STP'], dossier, steps)).toBe('step');
    expect(requireDossierAction(['STP'], dossier, steps, 'assign')).toBe('step');
    expect(requireDossierAction(['STP'], dossier, steps, 'complete_step')).toBe('step');
    expect(() => requireDossierAction(['STP'], dossier, steps, 'resolve')).toThrow(
      /may hand over, complete or return that step/,
    );
    expect(() => requireDossierAction(['STP'], dossier, steps, 'request_supplement')).toThrow(
      /403|hand over/,
    );
  });

  it('keeps read access for an agency whose step is done, and refuses it any action', () => {
    const steps = [step(1, 'SYT', true), step(2, 'STP')];
    expect(dossierAccess(['SYT'], dossier, steps)).toBe('read');
    expect(() => requireDossierAction(['SYT'], dossier, steps, 'assign')).toThrow(
      /may read the dossier, not act on it/,
    );
  });

  it('refuses an agency with no part in it', () => {
    expect(dossierAccess(['BHXH'], dossier, [step(1, 'SYT')])).toBe('none');
    expect(() => requireDossierAction(['BHXH'], dossier, [], 'assign')).toThrow(/belongs to another agency/);
  });

  it('counts a step of a sub-agency as held by its parent agency (the scope holds both)', () => {
    const steps = [step(1, 'SYT.PHAPY')];
    expect(dossierAccess(['SYT', 'SYT.PHAPY'], dossier, steps)).toBe('step');
    expect(stepsHeldBy(['SYT', 'SYT.PHAPY'], steps).map((s) => s.seq)).toEqual([1]);
    expect(stepsHeldBy(['STP'], steps)).toEqual([]);
  });
});

describe('the desk lists apply the same rule as the reads', () => {
  let t: TestResources<IntakeDb>;
  beforeAll(async () => {
    t = await openTestResources<IntakeDb>(SCHEMA);
  });
  afterAll(() => t.close());

  const AGENCIES = ['A', 'B', 'C', 'D', 'E'];
  const agency = fc.constantFrom(...AGENCIES);
  const arbDossier = fc.record({
    agency: agency,
    receiving: agency,
    steps: fc.array(fc.record({ agency, done: fc.boolean() }), { maxLength: 3 }),
  });

  it('lists exactly the dossiers a scoped officer may read, for random dossiers, steps and scopes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(arbDossier, { minLength: 1, maxLength: 8 }),
        fc.subarray(AGENCIES),
        async (dossiers, scope) => {
          await t.db.deleteFrom('dossier_steps').execute();
          await t.db.deleteFrom('dossiers').execute();
          const expected: string[] = [];
          for (const [i, d] of dossiers.entries()) {
            const row = await insertDossier(t.db, dossierRow(`X-${i}`, d.agency, d.receiving));
            const steps = d.steps.map((s, j) => ({
              seq: j + 1,
              agency_code: s.agency,
              completed_at: s.done ? new Date() : null,
            }));
            for (const s of steps) {
              await insertStep(t.db, {
                dossier_id: row.id,
                ...s,
                unit: null,
                officer: null,
                task: 'Xử lý',
                mode: 'sequential',
                assigned_at: new Date(),
                due_at: null,
                outcome: s.completed_at ? 'handed_over' : null,
                completed_by: null,
                note: null,
              });
            }
            if (dossierAccess(scope, row, steps) !== 'none') expected.push(row.code);
          }
          const listed = await listDossiers(t.db, { visibleTo: scope }, { sort: 'received', limit: 200 });
          expect(listed.map((r) => r.code).sort()).toEqual(expected.sort());
        },
      ),
      { numRuns: 40 },
    );
  });
});

function dossierRow(code: string, agency: string, receiving: string) {
  const at = new Date('2026-11-23T02:00:00Z');
  return {
    id: randomUUID(),
    code,
    procedure_code: '1.004579',
    procedure_version: 1,
    procedure_name: 'Cấp chứng chỉ hành nghề dược',
    field_code: 'DUOC_PHAM',
    agency_code: agency,
    receiving_agency_code: receiving,
    channel: 'direct' as const,
    status: 'processing' as const,
    applicant_kind: 'person' as const,
    applicant_name: 'Nguyễn Văn An',
    applicant_contact: JSON.stringify({}),
    applicant_phone: null,
    applicant_id_number: null,
    components: JSON.stringify([]),
    case_name: null,
    processing_time: JSON.stringify({ value: 10, unit: 'working_days' }),
    rule_set_id: 'ND118-2025',
    submitted_at: at,
    received_at: at,
    due_at: null,
    original_due_at: null,
    ended_at: null,
    timeliness: null,
    current_unit: null,
    current_officer: null,
    result: null,
    return_info: null,
    source_system: null,
    source_id: null,
    version: 1,
  };
}
