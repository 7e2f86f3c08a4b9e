import { withTransaction, type Tx } from '@tthc/db';
import { HttpProblem } from '@tthc/service-kit';
import type { z } from 'zod';
import { findAgency, upsertAgency } from '../db/agency.repository';
import { findField, upsertField } from '../db/field.repository';
import { findProcedure, findVersion } from '../db/procedure.repository';
import type { CatalogueDb } from '../db/schema';
import { FileAgency, FileField, FileProcedure, type CatalogueFileRaw } from '../domain/catalogue-file';
import { contentHash, Decision, type ProcedureContent } from '../domain/procedure';
import {
  amend,
  changeStatus,
  createProcedure,
  publish,
  updateDraft,
  type CommandContext,
} from './procedure.command';

/** One problem in one row: the row (1-based, as a spreadsheet shows it), the column and why. */
export interface RowError {
  sheet: 'fields' | 'agencies' | 'procedures';
  row: number;
  column: string;
  reason: string;
}

export interface ImportReport {
  dryRun: boolean;
  applied: boolean;
  fields: { upserted: number };
  agencies: { upserted: number };
  procedures: { created: number; published: number; amended: number; updated: number; unchanged: number };
  errors: RowError[];
}

class ImportFailed extends Error {}
class DryRunDone extends Error {}

function zodErrors(sheet: RowError['sheet'], row: number, error: z.ZodError): RowError[] {
  return error.issues.map((i) => ({ sheet, row, column: i.path.join('.') || '(row)', reason: i.message }));
}

/** Orders agencies so that a parent is written before its children. */
function parentsFirst(agencies: z.infer<typeof FileAgency>[]): z.infer<typeof FileAgency>[] {
  const byCode = new Map(agencies.map((a) => [a.code, a]));
  const out: z.infer<typeof FileAgency>[] = [];
  const seen = new Set<string>();
  const visit = (a: z.infer<typeof FileAgency>, depth: number) => {
    if (seen.has(a.code) || depth > 50) return;
    const parent = a.parentCode ? byCode.get(a.parentCode) : undefined;
    if (parent) visit(parent, depth + 1);
    seen.add(a.code);
    out.push(a);
  };
  agencies.forEach((a) => visit(a, 0));
  return out;
}

/**
 * Imports a catalogue. Every row is checked first and every error reported (row, column,
 * reason); when any row fails, nothing is imported. Idempotent by code and content: a
 * procedure whose latest version has the same content is left as it is; a changed one becomes a
 * new version under its (new) publishing decision. A dry run reports what would happen and
 * rolls everything back.
 */
export async function importCatalogue(
  ctx: CommandContext,
  raw: CatalogueFileRaw,
  dryRun: boolean,
): Promise<ImportReport> {
  const report: ImportReport = {
    dryRun,
    applied: false,
    fields: { upserted: 0 },
    agencies: { upserted: 0 },
    procedures: { created: 0, published: 0, amended: 0, updated: 0, unchanged: 0 },
    errors: [],
  };
  const fields: z.infer<typeof FileField>[] = [];
  const agencies: z.infer<typeof FileAgency>[] = [];
  const procedures: { row: number; p: FileProcedure; decision: Decision | null }[] = [];

  raw.fields.forEach((f, i) => {
    const r = FileField.safeParse(f);
    if (r.success) fields.push(r.data);
    else report.errors.push(...zodErrors('fields', i + 1, r.error));
  });
  raw.agencies.forEach((a, i) => {
    const r = FileAgency.safeParse(a);
    if (r.success) agencies.push(r.data);
    else report.errors.push(...zodErrors('agencies', i + 1, r.error));
  });
  const codes = new Set<string>();
  raw.procedures.forEach((p, i) => {
    const r = FileProcedure.safeParse(p);
    if (!r.success) return void report.errors.push(...zodErrors('procedures', i + 1, r.error));
    if (codes.has(r.data.code)) {
      report.errors.push({
        sheet: 'procedures',
        row: i + 1,
        column: 'code',
        reason: `code ${r.data.code} appears twice in the file`,
      });
    }
    codes.add(r.data.code);
    let decision: Decision | null = null;
    if (r.data.publication) {
      const d = Decision.safeParse({
        ...r.data.publication,
        nationalPublishedOn: r.data.publication.nationalPublishedOn ?? null,
      });
      if (!d.success)
        return void report.errors.push(
          ...zodErrors('procedures', i + 1, d.error).map((e) => ({
            ...e,
            column: `publication.${e.column}`,
          })),
        );
      decision = d.data;
    }
    procedures.push({ row: i + 1, p: r.data, decision });
  });

  try {
    await withTransaction(ctx.db, async (tx) => {
      await checkReferences(tx, fields, agencies, procedures, report.errors);
      if (report.errors.length > 0) throw new ImportFailed();
      const inner: CommandContext = { ...ctx, db: tx };
      for (const f of fields) {
        await upsertField(tx, f);
        report.fields.upserted++;
      }
      for (const a of parentsFirst(agencies)) {
        await upsertAgency(tx, {
          code: a.code,
          name: a.name,
          parent_code: a.parentCode,
          level: a.level,
          kind: a.kind,
          receives_for: a.receivesFor,
        });
        report.agencies.upserted++;
      }
      for (const { row, p, decision } of procedures) {
        try {
          const { code, publication: _publication, ...content } = p;
          for (const outcome of await applyProcedure(inner, tx, code, content, decision))
            report.procedures[outcome]++;
        } catch (err) {
          if (err instanceof HttpProblem) {
            const column = err.errors?.[0]?.pointer.replace(/^\//, '').replace(/\//g, '.') ?? 'code';
            report.errors.push({ sheet: 'procedures', row, column, reason: err.message });
            // Keep checking later rows for more errors; nothing will be committed.
            continue;
          }
          throw err;
        }
      }
      if (report.errors.length > 0) throw new ImportFailed();
      if (dryRun) throw new DryRunDone();
    });
    report.applied = true;
  } catch (err) {
    if (!(err instanceof ImportFailed || err instanceof DryRunDone)) throw err;
  }
  if (report.errors.length > 0) zeroCounts(report);
  return report;
}

function zeroCounts(report: ImportReport): void {
  report.fields.upserted = 0;
  report.agencies.upserted = 0;
  report.procedures = { created: 0, published: 0, amended: 0, updated: 0, unchanged: 0 };
}

async function checkReferences(
  tx: Tx<CatalogueDb>,
  fields: z.infer<typeof FileField>[],
  agencies: z.infer<typeof FileAgency>[],
  procedures: { row: number; p: FileProcedure }[],
  errors: RowError[],
): Promise<void> {
  const fieldCodes = new Set(fields.map((f) => f.code));
  const agencyCodes = new Set(agencies.map((a) => a.code));
  const knownField = async (c: string) => fieldCodes.has(c) || (await findField(tx, c)) !== undefined;
  const knownAgency = async (c: string) => agencyCodes.has(c) || (await findAgency(tx, c)) !== undefined;
  for (const [i, a] of agencies.entries()) {
    if (a.parentCode && !(await knownAgency(a.parentCode))) {
      errors.push({
        sheet: 'agencies',
        row: i + 1,
        column: 'parentCode',
        reason: `unknown agency ${a.parentCode}`,
      });
    }
    for (const c of a.receivesFor) {
      if (!(await knownAgency(c)))
        errors.push({ sheet: 'agencies', row: i + 1, column: 'receivesFor', reason: `unknown agency ${c}` });
    }
  }
  for (const { row, p } of procedures) {
    if (!(await knownField(p.fieldCode)))
      errors.push({ sheet: 'procedures', row, column: 'fieldCode', reason: `unknown field ${p.fieldCode}` });
    for (const key of ['decidingAgencyCode', 'receivingAgencyCode'] as const) {
      if (!(await knownAgency(p[key])))
        errors.push({ sheet: 'procedures', row, column: key, reason: `unknown agency ${p[key]}` });
    }
  }
}

/** What applying one record did: a record can be created and published in one go. */
export type ApplyOutcome = 'created' | 'published' | 'amended' | 'updated' | 'unchanged';

/**
 * Brings one procedure to the given content and decision, by the lifecycle's own commands: a
 * new one is created (and published when a decision comes with it); a draft is updated (and
 * published); a published one with changed content or a new decision becomes a new version under
 * that decision. Suspended and abolished procedures are refused. Runs inside the caller's
 * transaction.
 */
export async function applyProcedure(
  ctx: CommandContext,
  tx: Tx<CatalogueDb>,
  code: string,
  content: ProcedureContent,
  decision: Decision | null,
): Promise<ApplyOutcome[]> {
  let existing = await findProcedure(tx, code);
  if (!existing) {
    await createProcedure(ctx, code, content);
    existing = (await findProcedure(tx, code))!;
    if (!decision) return ['created'];
    await publish(ctx, code, existing.row_version, decision);
    return ['created', 'published'];
  }
  const latest = (await findVersion(tx, existing.id, existing.current_version))!;
  const sameContent = latest.content_hash === contentHash(content);
  const sameDecision = !decision || latest.decision_number === decision.decisionNumber;
  if (sameContent && sameDecision) return ['unchanged'];
  switch (existing.status) {
    case 'draft': {
      const outcomes: ApplyOutcome[] = [];
      if (!sameContent) {
        await updateDraft(ctx, code, existing.row_version, content);
        outcomes.push('updated');
      }
      if (decision) {
        const now = (await findProcedure(tx, code))!;
        await publish(ctx, code, now.row_version, decision);
        outcomes.push('published');
      }
      return outcomes;
    }
    case 'published':
      if (!decision || decision.decisionNumber === latest.decision_number) {
        throw new HttpProblem(
          422,
          'decision_required',
          'Thiếu quyết định',
          `procedure ${code} changed: a new version needs a new publishing decision`,
          {
            errors: [
              { in: 'body', pointer: '/publication', detail: 'required for a changed published procedure' },
            ],
          },
        );
      }
      await amend(ctx, code, existing.row_version, content, decision);
      return ['amended'];
    case 'suspended':
    case 'abolished':
      throw new HttpProblem(
        409,
        'invalid_transition',
        'Xung đột trạng thái',
        `procedure ${code} is ${existing.status}: it cannot be changed by an import`,
        {
          errors: [{ in: 'body', pointer: '/code', detail: `procedure is ${existing.status}` }],
        },
      );
  }
}

export { changeStatus };
