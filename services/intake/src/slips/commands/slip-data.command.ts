import type { Executor } from '@tthc/db';
import { problems } from '@tthc/service-kit';
import { listHistory, type DossierRow, type HistoryRow } from '../../db/dossier.repository';
import { listSupplements, type StepRow } from '../../db/facts.repository';
import type { IntakeDb } from '../../db/schema';
import type { AgencyNames } from '../../agencies';
import { trackingUrl } from '../../domain/tracking-link';
import { controlSheetRows } from '../control-sheet';
import type { SlipCommon, SlipData, SlipKind } from '../slip-data';

export interface SlipSettings {
  provinceName: string;
  deskName: string;
  portalName: string;
  trackingUrlBase?: string | undefined;
}

/**
 * The person behind a trail entry: an officer's name, never the API key a system called with
 * (the key is only the channel the person acted through).
 */
export function personOf(h: HistoryRow | undefined): string | undefined {
  if (!h) return undefined;
  const named = (h as { actor_name?: string | null }).actor_name;
  if (named) return named;
  return h.actor.startsWith('key:') || h.actor === 'unknown' ? undefined : h.actor;
}

const lastOf = (history: HistoryRow[], action: string) =>
  [...history].reverse().find((h) => h.action === action);
const inputOf = (h: HistoryRow | undefined) =>
  ((h?.payload as { input?: Record<string, unknown> } | undefined)?.input ?? {}) as Record<string, string>;

function notApplicable(d: DossierRow, kind: SlipKind, why: string): never {
  throw problems.conflict('slip_not_applicable', `dossier ${d.code} has no ${kind} slip: ${why}`, {
    currentStatus: d.status,
  });
}

/**
 * The data of a printable slip (Thông tư 01/2018/TT-VPCP, Mẫu số 01–05) from the dossier, its
 * facts and its audit trail: the control sheet is a rendering of the trail's hand-overs.
 */
export async function slipData(
  db: Executor<IntakeDb>,
  dossier: { d: DossierRow; steps: StepRow[] },
  kind: SlipKind,
  settings: SlipSettings,
  agencies: AgencyNames,
  now: Date,
): Promise<SlipData> {
  const { d } = dossier;
  const history = await listHistory(db, d.id);
  const link = trackingUrl(settings.trackingUrlBase, d.code);
  const tracking = { portal: settings.portalName, ...(link ? { url: link } : {}) };
  const contact = d.applicant_contact as { address?: string; phone?: string; email?: string };
  const common: SlipCommon = {
    issuer: {
      parent: `UBND tỉnh ${settings.provinceName}`,
      name: settings.deskName,
      nameInText: `${settings.deskName} tỉnh ${settings.provinceName}`,
    },
    place: settings.provinceName,
    issuedAt: now,
    dossierCode: d.code,
    applicant: {
      name: d.applicant_name,
      ...(contact.address ? { address: contact.address } : {}),
      ...(contact.phone ? { phone: contact.phone } : {}),
      ...(contact.email ? { email: contact.email } : {}),
    },
    procedureName: d.procedure_name,
  };
  const officerOf = (h: HistoryRow | undefined) => ({ name: personOf(h) ?? '' });
  switch (kind) {
    case 'receipt': {
      if (!d.received_at || !d.due_at) notApplicable(d, kind, 'it was not received');
      const received = history.find((h) => h.action === 'receive' || h.action === 'accept');
      const comps = d.components as { name: string; originals: number; copies: number }[];
      return {
        ...common,
        kind,
        components: comps.map((c) => ({ name: c.name, originals: c.originals, copies: c.copies })),
        processingTime: d.processing_time as never,
        receivedAt: d.received_at,
        dueAt: d.original_due_at ?? d.due_at,
        resultDelivery:
          d.channel === 'postal'
            ? { method: 'postal', address: contact.address ?? '' }
            : { method: 'desk', place: settings.deskName },
        officer: officerOf(received),
        tracking,
      };
    }
    case 'supplement_request': {
      const s = (await listSupplements(db, d.id)).at(-1);
      if (!s) notApplicable(d, kind, 'no supplement was requested');
      return {
        ...common,
        kind,
        items: (s.items as string[]).map((content) => ({ content, reason: s.reason })),
        officer: officerOf(lastOf(history, 'request_supplement')),
      };
    }
    case 'refusal': {
      const h = lastOf(history, 'refuse');
      if (!h) notApplicable(d, kind, 'it was not refused');
      return { ...common, kind, reason: inputOf(h)['reason'] ?? '', officer: officerOf(h) };
    }
    case 'apology': {
      const h = lastOf(history, 'reschedule');
      if (!h || !d.received_at || !d.due_at) notApplicable(d, kind, 'it was not rescheduled');
      const input = inputOf(h);
      return {
        ...common,
        kind,
        receivedAt: d.received_at,
        originalDueAt: new Date(input['originalDueAt'] ?? d.original_due_at ?? d.due_at),
        newDueAt: new Date(input['newDueAt'] ?? d.due_at),
        reason: input['reason'] ?? '',
        signer: { name: personOf(h) ?? '', position: 'Thủ trưởng cơ quan giải quyết' },
        tracking,
      };
    }
    case 'control_sheet': {
      if (!d.received_at || !d.due_at) notApplicable(d, kind, 'it was not received');
      const codes = new Set([
        d.agency_code,
        d.receiving_agency_code,
        ...dossier.steps.map((s) => s.agency_code),
        ...history.flatMap((h) => (h.actor_agency ? [h.actor_agency] : [])),
      ]);
      const names = new Map<string, string>();
      for (const code of codes) names.set(code, await agencies.nameOf(code));
      const nameOf = (code: string) => names.get(code) ?? code;
      const partners = [...new Set(dossier.steps.map((s) => s.agency_code))].filter(
        (code) => code !== d.agency_code && code !== d.receiving_agency_code,
      );
      return {
        ...common,
        kind,
        receivedAt: d.received_at,
        dueAt: d.due_at,
        leadAgency: nameOf(d.agency_code),
        ...(partners.length > 0 ? { coordinatingAgencies: partners.map(nameOf) } : {}),
        handovers: controlSheetRows({
          dossier: d,
          history,
          steps: dossier.steps,
          deskName: settings.deskName,
          nameOf,
          personOf,
        }),
        tracking,
      };
    }
  }
}
