import { withTransaction, type Executor, type Tx } from '@tthc/db';
import { HttpProblem } from '@tthc/service-kit';
import diff from 'microdiff';
import { applyProcedure } from '../commands/import.command';
import { changeStatus, type CommandContext } from '../commands/procedure.command';
import { findAgency } from '../db/agency.repository';
import { findField } from '../db/field.repository';
import { findProcedure, findVersion } from '../db/procedure.repository';
import type { CatalogueDb } from '../db/schema';
import type { ProcedureContent } from '../domain/procedure';
import { currentMapping, fieldCodeByName } from '../db/national.repository';
import type { NationalMapping } from './mapping';
import { readNationalRecord, type CatalogueLookup, type RecordIssue } from './record';

/** What importing one national record does (or, in a preview, would do). */
export type NationalAction = 'create' | 'publish' | 'amend' | 'update' | 'abolish' | 'unchanged' | 'refused';

/** One difference between the catalogue's current version and the national record. */
export interface ContentChange {
  /** Dotted path in the catalogue's content (`methods.0.processingTime.value`). */
  path: string;
  change: 'added' | 'removed' | 'changed';
  before: unknown;
  after: unknown;
}

export interface NationalRecordOutcome {
  /** Position of the record in the package (0-based). */
  index: number;
  code: string | null;
  name: string | null;
  actions: NationalAction[];
  /** Differences from the catalogue's current version (every part, for a new procedure). */
  changes: ContentChange[];
  decisionNumber: string | null;
  issues: RecordIssue[];
}

export interface NationalImportReport {
  dryRun: boolean;
  /** Whether anything was written (false for a preview and for a refused package). */
  applied: boolean;
  mappingVersion: number;
  format: string;
  counts: Record<NationalAction, number>;
  records: NationalRecordOutcome[];
}

/** The records of a package: a list, one record, or a list answer with the records under the mapping's name. */
export function packageRecords(body: unknown, mapping: NationalMapping): unknown[] | null {
  if (Array.isArray(body)) return body;
  if (typeof body !== 'object' || body === null) return null;
  const key = mapping.names.records;
  const listed = key ? (body as Record<string, unknown>)[key] : undefined;
  if (Array.isArray(listed)) return listed;
  if (typeof (body as Record<string, unknown>)[mapping.names.code] !== 'undefined') return [body];
  return null;
}

function catalogueLookup(db: Executor<CatalogueDb>): CatalogueLookup {
  return {
    fieldCode: async (code) => (await findField(db, code)) !== undefined,
    fieldByName: (name) => fieldCodeByName(db, name),
    agency: async (code) => (await findAgency(db, code)) !== undefined,
  };
}

function changesBetween(before: ProcedureContent | null, after: ProcedureContent): ContentChange[] {
  return diff((before ?? {}) as Record<string, unknown>, after as unknown as Record<string, unknown>).map(
    (d) => ({
      path: d.path.join('.'),
      change: d.type === 'CREATE' ? 'added' : d.type === 'REMOVE' ? 'removed' : 'changed',
      before: d.type === 'CREATE' ? null : d.oldValue,
      after: d.type === 'REMOVE' ? null : d.value,
    }),
  );
}

const ACTION_OF = {
  created: 'create',
  published: 'publish',
  amended: 'amend',
  updated: 'update',
  unchanged: 'unchanged',
} as const;

class Refused extends Error {}

/**
 * Imports records of the national procedure database into the catalogue, each through the
 * lifecycle's own commands (create, publish, amend under the record's decision, abolish), so a
 * national change is a new version with its decision, never an edit of a published one.
 *
 * - `allOrNothing` (an uploaded file): when any record is refused, nothing is written.
 * - otherwise (a scheduled pull): each record is applied in a transaction of its own; a refused
 *   one is reported and leaves its procedure exactly as it was.
 * - `dryRun`: the preview; every record is read, compared and tried, and nothing is kept.
 */
export async function importNationalRecords(
  ctx: CommandContext,
  records: unknown[],
  opts: { dryRun: boolean; allOrNothing: boolean; mapping?: { version: number; document: NationalMapping } },
): Promise<NationalImportReport> {
  const mapping = opts.mapping ?? (await currentMapping(ctx.db));
  const report: NationalImportReport = {
    dryRun: opts.dryRun,
    applied: false,
    mappingVersion: mapping.version,
    format: mapping.document.format,
    counts: { create: 0, publish: 0, amend: 0, update: 0, abolish: 0, unchanged: 0, refused: 0 },
    records: [],
  };
  const seen = new Map<string, number>();

  const one = async (tx: Tx<CatalogueDb>, raw: unknown, index: number): Promise<NationalRecordOutcome> => {
    const read = await readNationalRecord(raw, mapping.document, catalogueLookup(tx));
    const out: NationalRecordOutcome = {
      index,
      code: read.ok ? read.value.code : read.code,
      name: read.ok ? read.value.content.name : null,
      actions: [],
      changes: [],
      decisionNumber: read.ok ? (read.value.decision?.decisionNumber ?? null) : null,
      issues: read.ok ? [] : read.issues,
    };
    if (out.code !== null) {
      const first = seen.get(out.code);
      if (first !== undefined)
        out.issues.push({
          path: mapping.document.names.code,
          reason: `code ${out.code} is also record ${first}`,
        });
      else seen.set(out.code, index);
    }
    if (!read.ok || out.issues.length > 0) return out;
    const { code, content, decision, status } = read.value;
    const existing = await findProcedure(tx, code);
    const current = existing ? await findVersion(tx, existing.id, existing.current_version) : undefined;
    try {
      if (status === 'abolished') {
        if (!existing || existing.status === 'abolished' || existing.status === 'draft') {
          out.actions.push('unchanged');
          return out;
        }
        await changeStatus(
          { ...ctx, db: tx },
          code,
          existing.row_version,
          'abolish',
          decision!,
          'bãi bỏ theo Cơ sở dữ liệu quốc gia về thủ tục hành chính',
        );
        out.actions.push('abolish');
        return out;
      }
      out.changes = changesBetween((current?.content as ProcedureContent | undefined) ?? null, content);
      const outcomes = await applyProcedure({ ...ctx, db: tx }, tx, code, content, decision);
      out.actions.push(...outcomes.map((o) => ACTION_OF[o]));
      if (outcomes.includes('unchanged')) out.changes = [];
    } catch (err) {
      if (!(err instanceof HttpProblem) || err.status >= 500) throw err;
      out.issues.push({
        path: err.errors?.[0]?.pointer.replace(/^\//, '') || mapping.document.names.code,
        reason: err.message,
      });
    }
    return out;
  };

  const tally = () => {
    for (const r of report.records) {
      if (r.issues.length > 0) {
        r.actions = ['refused'];
        report.counts.refused++;
      } else for (const a of r.actions) report.counts[a]++;
    }
  };

  if (opts.allOrNothing || opts.dryRun) {
    try {
      await withTransaction(ctx.db, async (tx) => {
        for (const [i, raw] of records.entries()) report.records.push(await one(tx, raw, i));
        if (opts.dryRun || (opts.allOrNothing && report.records.some((r) => r.issues.length > 0)))
          throw new Refused();
      });
      report.applied = true;
    } catch (err) {
      if (!(err instanceof Refused)) throw err;
    }
    tally();
    // A refused package wrote nothing: what would have been applied did not happen.
    if (!report.applied && !opts.dryRun)
      for (const r of report.records) if (r.issues.length === 0) r.actions = [];
    if (!report.applied && !opts.dryRun)
      for (const k of Object.keys(report.counts) as NationalAction[])
        if (k !== 'refused') report.counts[k] = 0;
    return report;
  }

  for (const [i, raw] of records.entries()) {
    let outcome: NationalRecordOutcome | undefined;
    try {
      await withTransaction(ctx.db, async (tx) => {
        outcome = await one(tx, raw, i);
        if (outcome.issues.length > 0) throw new Refused();
      });
    } catch (err) {
      if (!(err instanceof Refused)) throw err;
    }
    report.records.push(outcome!);
  }
  tally();
  report.applied = report.records.some(
    (r) => r.issues.length === 0 && !r.actions.every((a) => a === 'unchanged'),
  );
  return report;
}
