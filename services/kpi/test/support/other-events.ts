import { randomUUID } from 'node:crypto';
import { currentSchemaVersion, type EventPayload, type EventType, type TypedEvent } from '@tthc/contracts';

function envelope<T extends EventType>(
  type: T,
  payload: EventPayload<T>,
  entityId: string,
  entityVersion: number,
  occurredAt: string,
): TypedEvent<T> {
  return {
    id: randomUUID(),
    type,
    schemaVersion: currentSchemaVersion(type),
    source: 'catalogue',
    entityId,
    entityVersion,
    occurredAt,
    requestId: null,
    payload,
  };
}

export interface ProcedureSpec {
  code: string;
  version?: number;
  onlineLevel?: 'full' | 'partial' | 'none';
  feeBearing?: boolean;
  onlinePayment?: boolean | null;
  complete?: boolean;
  validFrom: string;
  decisionSignedOn?: string | null;
  nationalPublishedOn?: string | null;
  legalBasisEffectiveFrom?: string | null;
  agencyCode?: string;
  fieldCode?: string;
}

const ids = new Map<string, string>();

/** procedure.published (version 1) or procedure.changed (later versions), as the catalogue emits them. */
export function procedurePublished(
  p: ProcedureSpec,
): TypedEvent<'procedure.published'> | TypedEvent<'procedure.changed'> {
  const id = ids.get(p.code) ?? randomUUID();
  ids.set(p.code, id);
  const version = p.version ?? 1;
  const payload: EventPayload<'procedure.published'> = {
    procedureId: id,
    code: p.code,
    localCode: `${p.code}.000.00.17.H55`,
    version,
    name: `Thủ tục ${p.code}`,
    fieldCode: p.fieldCode ?? 'DUOC_PHAM',
    decidingAgencyCode: p.agencyCode ?? '000.00.17.H55',
    receivingAgencyCode: '000.20.17.H55',
    authorityLevel: 'province',
    onlineLevel: p.onlineLevel ?? 'full',
    methods: [],
    components: [],
    interAgency: null,
    feeBearing: p.feeBearing ?? false,
    complete: p.complete ?? true,
    decisionNumber: `${version}/QĐ-UBND`,
    validFrom: p.validFrom,
    legacyLevel: null,
    resultIsPaper: false,
    onlinePayment: p.onlinePayment === undefined ? null : p.onlinePayment,
    decisionSignedOn: p.decisionSignedOn ?? null,
    nationalPublishedOn: p.nationalPublishedOn ?? null,
    legalBasisEffectiveFrom: p.legalBasisEffectiveFrom ?? null,
  };
  const at = `${p.validFrom}T01:00:00.000Z`;
  return version === 1
    ? envelope('procedure.published', payload, id, version, at)
    : envelope('procedure.changed', payload, id, version, at);
}

export function procedureAbolished(code: string, effectiveFrom: string): TypedEvent<'procedure.abolished'> {
  const id = ids.get(code) ?? randomUUID();
  return envelope(
    'procedure.abolished',
    {
      procedureId: id,
      code,
      version: 1,
      status: 'abolished',
      decisionNumber: '9/QĐ-UBND',
      decisionSignedOn: null,
      effectiveFrom,
    },
    id,
    99,
    `${effectiveFrom}T01:00:00.000Z`,
  );
}

export interface FeedbackSpec {
  receivedAt: string;
  dueAt: string;
  answeredAt?: string;
  onTime?: boolean;
  rating?: { at: string; satisfaction: 'satisfied' | 'normal' | 'not_satisfied' };
  dossierCode?: string;
  agencyCode?: string;
}

/** The events of one feedback: received, then answered and rated when given. */
export function feedbackStory(f: FeedbackSpec): TypedEvent<EventType>[] {
  const id = randomUUID();
  const code = `PAKN-${id.slice(0, 8)}`;
  const ref = {
    feedbackId: id,
    code,
    kind: f.dossierCode ? ('handling' as const) : ('regulation' as const),
    agencyCode: f.agencyCode ?? '000.00.17.H55',
  };
  const out: TypedEvent<EventType>[] = [
    envelope(
      'feedback.received',
      {
        ...ref,
        procedureCode: '1.000001',
        dossierCode: f.dossierCode ?? null,
        receivedAt: f.receivedAt,
        dueAt: f.dueAt,
      },
      id,
      1,
      f.receivedAt,
    ),
  ];
  if (f.answeredAt) {
    out.push(
      envelope(
        'feedback.answered',
        {
          ...ref,
          answeredAt: f.answeredAt,
          dueAt: f.dueAt,
          timeliness: f.onTime ? 'on_time' : 'late',
          onTime: f.onTime ?? false,
        },
        id,
        2,
        f.answeredAt,
      ),
    );
  }
  if (f.rating)
    out.push(
      envelope(
        'feedback.rated',
        { ...ref, satisfaction: f.rating.satisfaction, ratedAt: f.rating.at },
        id,
        3,
        f.rating.at,
      ),
    );
  return out;
}
