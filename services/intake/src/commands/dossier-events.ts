import { emitEvent, outboxRecord, type OutboxRecord } from '@tthc/bus';
import type { EventPayload, EventType } from '@tthc/contracts';
import type { Tx } from '@tthc/db';
import type { DossierRow } from '../db/dossier.repository';
import type { IntakeDb } from '../db/schema';
import type { IntakeContext } from './context';

/** The part of every dossier event that identifies and classifies the dossier. */
export function dossierRef(d: DossierRow) {
  return {
    dossierId: d.id,
    code: d.code,
    procedureCode: d.procedure_code,
    fieldCode: d.field_code,
    agencyCode: d.agency_code,
    receivingAgencyCode: d.receiving_agency_code,
    channel: d.channel,
  };
}

/** Emits a dossier event in the transaction of the change, stamped with the dossier's version. */
export async function emitDossierEvent<T extends Extract<EventType, `dossier.${string}`>>(
  tx: Tx<IntakeDb>,
  ctx: IntakeContext,
  d: DossierRow,
  type: T,
  payload: EventPayload<T>,
  /** For history imported from earlier software: when it happened and at which version. */
  at?: { occurredAt: Date; version: number },
): Promise<void> {
  await emitEvent(tx, type, payload, {
    source: 'intake',
    entityId: d.id,
    entityVersion: at?.version ?? d.version,
    requestId: ctx.requestId,
    occurredAt: at?.occurredAt ?? ctx.clock(),
  });
}

/**
 * A dossier event as a row for a command that writes it in the statement of the change
 * (db/receipt.repository.ts), stamped as emitDossierEvent stamps it.
 */
export function dossierEventRecord<T extends Extract<EventType, `dossier.${string}`>>(
  ctx: IntakeContext,
  d: Pick<DossierRow, 'id' | 'version'>,
  type: T,
  payload: EventPayload<T>,
): OutboxRecord {
  return outboxRecord(type, payload, {
    source: 'intake',
    entityId: d.id,
    entityVersion: d.version,
    requestId: ctx.requestId,
    occurredAt: ctx.clock(),
  });
}

export const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** The dossier clock's three dates, as status events carry them (see domain/deadline.ts). */
export function dueDates(d: DossierRow): {
  dueAt: string | null;
  legalDueAt: string | null;
  originalDueAt: string | null;
} {
  return { dueAt: iso(d.due_at), legalDueAt: iso(d.legal_due_at), originalDueAt: iso(d.original_due_at) };
}
