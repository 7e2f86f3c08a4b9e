import type { HistoryRow } from '../../src/db/dossier.repository';
import type { StepRow } from '../../src/db/facts.repository';
import { controlSheetRows, type ControlSheetInput } from '../../src/slips/control-sheet';

const DEPARTMENT = '000.00.17.H55';
const CENTRE = '000.20.17.H55';
const NAMES: Record<string, string> = {
  [DEPARTMENT]: 'Sở Y tế',
  [CENTRE]: 'Trung tâm Phục vụ hành chính công',
};
const at = (s: string) => new Date(`2026-11-${s}:00+07:00`);

let id = 0;
function h(action: string, when: string, actor = 'cb.lan', agency: string | null = CENTRE): HistoryRow {
  return {
    id: String(++id),
    dossier_id: 'd',
    dossier_version: id,
    action,
    from_status: null,
    to_status: 'processing',
    actor,
    actor_role: 'desk_officer',
    actor_agency: agency,
    at: at(when),
    payload: {},
  };
}

function input(history: HistoryRow[], steps: StepRow[] = []): ControlSheetInput {
  return {
    dossier: {
      applicant_name: 'Nguyễn Văn An',
      agency_code: DEPARTMENT,
      receiving_agency_code: CENTRE,
      received_at: at('02T08:00'),
      legal_due_at: null,
      original_due_at: at('16T17:00'),
      due_at: at('18T17:00'),
    },
    history,
    steps,
    deskName: 'Trung tâm Phục vụ hành chính công',
    nameOf: (code) => NAMES[code] ?? code,
    personOf: (row) => (row.actor.startsWith('key:') ? undefined : row.actor),
  };
}

const brief = (rows: ReturnType<typeof controlSheetRows>) =>
  rows.map((r) => ({
    from: [r.from.unit, r.from.person].filter(Boolean).join(' – '),
    to: [r.to.unit, r.to.person].filter(Boolean).join(' – '),
    note: r.note,
    result: r.result,
  }));

describe('the process control sheet (Mẫu số 05) from the audit trail', () => {
  it('lists every hand-over of a dossier with no explicit assignment, agencies by name', () => {
    const rows = controlSheetRows(
      input([
        h('receive', '02T08:00'),
        h('request_supplement', '04T09:00', 'cv.minh', DEPARTMENT),
        h('complete_supplement', '06T10:00'),
        h('resolve', '12T15:00', 'cv.minh', DEPARTMENT),
        h('return', '13T09:00'),
      ]),
    );
    expect(brief(rows)).toEqual([
      {
        from: 'Tổ chức, cá nhân nộp hồ sơ – Nguyễn Văn An',
        to: 'Trung tâm Phục vụ hành chính công – cb.lan',
        note: 'Tiếp nhận hồ sơ',
        result: undefined,
      },
      {
        from: 'Trung tâm Phục vụ hành chính công – cb.lan',
        to: 'Sở Y tế',
        note: 'Chuyển hồ sơ giải quyết',
        result: 'early',
      },
      {
        from: 'Sở Y tế – cv.minh',
        to: 'Tổ chức, cá nhân nộp hồ sơ – Nguyễn Văn An',
        note: 'Yêu cầu bổ sung, hoàn thiện hồ sơ',
        result: undefined,
      },
      {
        from: 'Tổ chức, cá nhân nộp hồ sơ – Nguyễn Văn An',
        to: 'Trung tâm Phục vụ hành chính công – cb.lan',
        note: 'Nộp hồ sơ đã bổ sung, hoàn thiện',
        result: undefined,
      },
      {
        from: 'Sở Y tế – cv.minh',
        to: 'Trung tâm Phục vụ hành chính công',
        note: 'Chuyển kết quả giải quyết',
        result: 'early',
      },
      {
        from: 'Trung tâm Phục vụ hành chính công – cb.lan',
        to: 'Tổ chức, cá nhân nộp hồ sơ – Nguyễn Văn An',
        note: 'Trả kết quả',
        result: undefined,
      },
    ]);
    expect(JSON.stringify(rows)).not.toContain(DEPARTMENT);
  });

  it('judges the result against the original due date, not a rescheduled one', () => {
    const rows = controlSheetRows(input([h('receive', '02T08:00'), h('resolve', '17T10:00')]));
    expect(rows.find((r) => r.note === 'Chuyển kết quả giải quyết')?.result).toBe('late');
  });

  it('makes each step a hand-over from the unit that held the dossier, and never names an API key', () => {
    const step = (seq: number, unit: string, assigned: string, done: string | null): StepRow => ({
      id: String(seq),
      dossier_id: 'd',
      seq,
      agency_code: DEPARTMENT,
      unit,
      officer: seq === 1 ? 'Phạm Thị Mai' : null,
      task: `Bước ${seq}`,
      mode: 'sequential',
      assigned_at: at(assigned),
      due_at: at('10T17:00'),
      completed_at: done ? at(done) : null,
      outcome: done ? 'handed_over' : null,
      completed_by: null,
      note: null,
      foreign_agency: false,
    });
    const rows = controlSheetRows(
      input(
        [h('receive', '02T08:00', 'key:desk-app:AbC123')],
        [step(1, 'Phòng Nghiệp vụ Dược', '02T09:00', '05T10:00'), step(2, 'Lãnh đạo Sở', '05T10:00', null)],
      ),
    );
    expect(brief(rows)).toEqual([
      expect.objectContaining({ to: 'Trung tâm Phục vụ hành chính công', note: 'Tiếp nhận hồ sơ' }),
      {
        from: 'Trung tâm Phục vụ hành chính công',
        to: 'Phòng Nghiệp vụ Dược, Sở Y tế – Phạm Thị Mai',
        note: 'Bước 1',
        result: 'early',
      },
      {
        from: 'Phòng Nghiệp vụ Dược, Sở Y tế – Phạm Thị Mai',
        to: 'Lãnh đạo Sở, Sở Y tế',
        note: 'Bước 2',
        result: undefined,
      },
    ]);
    expect(JSON.stringify(rows)).not.toContain('key:');
  });
});
