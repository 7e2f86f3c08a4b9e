import { timeliness } from '@tthc/calendar';
import type { DossierRow, HistoryRow } from '../db/dossier.repository';
import type { StepRow } from '../db/facts.repository';
import { isPaperTransfer } from '../domain/deadline';
import { judgedDueDate } from '../domain/dossier-clock';
import type { Handover, HandoverParty } from './slip-data';

/**
 * The rows of the process control sheet (Mẫu số 05, Thông tư 01/2018/TT-VPCP): every time the
 * dossier changed hands, from the applicant handing it in to the result handed back, read from
 * the audit trail and the processing steps. Each row names the giving and the receiving unit
 * (agencies by name) and, where the trail knows them, the people; a step with a deadline is
 * judged against it, and the result against the dossier's own due date (domain.md, Timeliness).
 */
export interface ControlSheetInput {
  dossier: Pick<
    DossierRow,
    | 'applicant_name'
    | 'agency_code'
    | 'receiving_agency_code'
    | 'received_at'
    | 'legal_due_at'
    | 'original_due_at'
    | 'due_at'
  >;
  history: HistoryRow[];
  steps: StepRow[];
  /** The receiving desk as the slips name it. */
  deskName: string;
  /** Agency names by code (a code stands in for a name the directory lacks). */
  nameOf: (code: string) => string;
  /** The person behind a trail entry, when known (never an API key). */
  personOf: (h: HistoryRow) => string | undefined;
}

const APPLICANT_UNIT = 'Tổ chức, cá nhân nộp hồ sơ';

export function controlSheetRows(input: ControlSheetInput): Handover[] {
  const { dossier: d, history, steps, deskName, nameOf, personOf } = input;
  const applicant: HandoverParty = { unit: APPLICANT_UNIT, person: d.applicant_name };
  const party = (unit: string, person: string | null | undefined): HandoverParty =>
    person ? { unit, person } : { unit };
  const unitOfStep = (s: StepRow) => (s.unit ? `${s.unit}, ${nameOf(s.agency_code)}` : nameOf(s.agency_code));
  const actorUnit = (h: HistoryRow) => (h.actor_agency ? nameOf(h.actor_agency) : deskName);
  const rows: Handover[] = [];

  const receipt = history.find((h) => h.action === 'receive' || h.action === 'accept');
  if (receipt && d.received_at) {
    rows.push({
      from: applicant,
      to: party(deskName, personOf(receipt)),
      handedOverAt: d.received_at,
      completedAt: d.received_at,
      note: 'Tiếp nhận hồ sơ',
    });
  }

  // Each step is a hand-over from whoever held the dossier before it.
  let holder: HandoverParty = party(deskName, receipt ? personOf(receipt) : undefined);
  const ordered = [...steps].sort((a, b) => a.seq - b.seq);
  for (const s of ordered) {
    // The desk's own first step is carrying the paper to the agency that decides the dossier.
    const to = isPaperTransfer(s) ? party(nameOf(d.agency_code), undefined) : party(unitOfStep(s), s.officer);
    rows.push({
      from: holder,
      to,
      handedOverAt: s.assigned_at,
      ...(s.due_at ? { dueAt: s.due_at } : {}),
      ...(s.completed_at ? { completedAt: s.completed_at } : {}),
      ...(s.completed_at && s.due_at ? { result: timeliness(s.completed_at, s.due_at) } : {}),
      note: s.task,
    });
    if (s.mode !== 'parallel') holder = to;
  }
  // No explicit assignment: the desk handed the dossier to the agency that decides it.
  const dueAt = judgedDueDate(d);
  const resolved = [...history].reverse().find((h) => h.action === 'resolve');
  if (ordered.length === 0 && receipt && d.received_at && d.agency_code !== d.receiving_agency_code) {
    const to = party(nameOf(d.agency_code), undefined);
    rows.push({
      from: holder,
      to,
      handedOverAt: d.received_at,
      ...(dueAt ? { dueAt } : {}),
      ...(resolved ? { completedAt: resolved.at } : {}),
      ...(resolved && dueAt ? { result: timeliness(resolved.at, dueAt) } : {}),
      note: 'Chuyển hồ sơ giải quyết',
    });
    holder = to;
  }

  for (const h of history) {
    switch (h.action) {
      case 'request_supplement':
        rows.push({
          from: party(actorUnit(h), personOf(h)),
          to: applicant,
          handedOverAt: h.at,
          note: 'Yêu cầu bổ sung, hoàn thiện hồ sơ',
        });
        break;
      case 'complete_supplement':
        rows.push({
          from: applicant,
          to: party(actorUnit(h), personOf(h)),
          handedOverAt: h.at,
          completedAt: h.at,
          note: 'Nộp hồ sơ đã bổ sung, hoàn thiện',
        });
        break;
      case 'resolve':
        rows.push({
          from: party(actorUnit(h), personOf(h)),
          to: party(nameOf(d.receiving_agency_code), undefined),
          handedOverAt: h.at,
          ...(dueAt ? { dueAt, result: timeliness(h.at, dueAt) } : {}),
          completedAt: h.at,
          note: 'Chuyển kết quả giải quyết',
        });
        break;
      case 'return':
        rows.push({
          from: party(deskName, personOf(h)),
          to: applicant,
          handedOverAt: h.at,
          completedAt: h.at,
          note: 'Trả kết quả',
        });
        break;
      case 'refuse':
      case 'withdraw':
      case 'stop':
        rows.push({
          from: party(actorUnit(h), personOf(h)),
          to: applicant,
          handedOverAt: h.at,
          note: END_NOTES[h.action],
        });
        break;
    }
  }
  // In the order things happened; rows of the same instant keep the order above.
  return rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => a.row.handedOverAt.getTime() - b.row.handedOverAt.getTime() || a.i - b.i)
    .map(({ row }) => row);
}

const END_NOTES = {
  refuse: 'Từ chối tiếp nhận hồ sơ',
  withdraw: 'Rút hồ sơ theo đề nghị',
  stop: 'Dừng giải quyết hồ sơ',
} as const;
