import { Signal } from '@tthc/bus';
import type { Executor } from '@tthc/db';
import { procedureHistory } from '../db/procedure.repository';
import type { IntakeDb } from '../db/schema';
import { inForceOn, type ProcedureHistory, type ProcedureInForce } from '../domain/procedure-in-force';

/** Raised once a change to the intake's copy of the catalogue commits (an event applied, a snapshot copied). */
export const procedureCopyChanged = new Signal();

/**
 * The intake's copy of the catalogue, held in the process so a receipt reads no procedure from
 * the database. An entry is dropped as soon as this process applies a change to the copy
 * (procedureCopyChanged), and lives at most `maxAgeMs` otherwise: another replica that applied
 * a procedure event is followed within that time (publications and abolitions take effect on
 * dates, known in advance, so a second's lag changes no receipt in practice).
 */
export class ProcedureCache {
  private readonly entries = new Map<string, { at: number; history: Promise<ProcedureHistory> }>();
  private readonly unsubscribe: () => void;

  constructor(private readonly options: { maxAgeMs?: number; now?: () => number } = {}) {
    this.unsubscribe = procedureCopyChanged.subscribe(() => this.invalidate());
  }

  async inForce(db: Executor<IntakeDb>, code: string, date: string): Promise<ProcedureInForce | undefined> {
    const now = (this.options.now ?? Date.now)();
    let entry = this.entries.get(code);
    if (!entry || now - entry.at > (this.options.maxAgeMs ?? 1000)) {
      const history = procedureHistory(db, code);
      entry = { at: now, history };
      this.entries.set(code, entry);
      history.catch(() => {
        if (this.entries.get(code) === entry) this.entries.delete(code);
      });
    }
    return inForceOn(await entry.history, date);
  }

  invalidate(): void {
    this.entries.clear();
  }

  close(): void {
    this.unsubscribe();
    this.entries.clear();
  }
}
