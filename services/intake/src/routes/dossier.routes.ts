import { randomUUID } from 'node:crypto';
import { emitEvent } from '@tthc/bus';
import { vnDate } from '@tthc/calendar';
import { Channel } from '@tthc/contracts';
import { withTransaction } from '@tthc/db';
import { errorResponses, problems, type ServiceApp } from '@tthc/service-kit';
import { z } from 'zod';
import type { AppDeps } from '../deps';
import { findDossierByCode, insertDossier, nextSerial, type DossierRow } from '../db/dossier.repository';
import { procedureInForce } from '../db/procedure.repository';
import { dossierCode } from '../domain/dossier-code';

const nfc = (max: number) =>
  z
    .string()
    .transform((s) => s.normalize('NFC').trim())
    .pipe(z.string().min(1).max(max));

const Applicant = z.object({
  kind: z.enum(['person', 'organisation']),
  fullName: nfc(200),
  idNumber: z
    .string()
    .regex(/^(\d{9}|\d{12})$/, 'ID number: 12 digits (CCCD) or 9 digits (CMND)')
    .optional(),
  phone: z
    .string()
    .regex(/^(0|\+84)\d{9,10}$/, 'phone: a Vietnamese number, 0 or +84 then 9-10 digits')
    .optional(),
  email: z.email().max(254).optional(),
  address: nfc(500).optional(),
});

const CreateDossier = z
  .object({
    procedureCode: z.string().min(1).max(80),
    channel: Channel,
    applicant: Applicant,
  })
  .meta({
    id: 'CreateDossier',
    examples: [
      {
        procedureCode: '1.004579',
        channel: 'direct',
        applicant: { kind: 'person', fullName: 'Nguyễn Văn An', idNumber: '001085012345', phone: '0912345678' },
      },
    ],
  });

export const Dossier = z
  .object({
    id: z.uuid(),
    code: z.string(),
    procedureCode: z.string(),
    procedureVersion: z.number().int(),
    fieldCode: z.string(),
    agencyCode: z.string(),
    receivingAgencyCode: z.string(),
    channel: Channel,
    status: z.string(),
    applicant: z.object({ kind: z.enum(['person', 'organisation']), fullName: z.string() }),
    receivedAt: z.iso.datetime({ offset: true }),
    dueAt: z.iso.datetime({ offset: true }).nullable(),
    version: z.number().int(),
  })
  .meta({
    id: 'Dossier',
    examples: [
      {
        id: '5d0f0c3e-8a53-4a39-8f0e-0c8d7f1b2a11',
        code: '000.20.17.H55-261123-0001',
        procedureCode: '1.004579',
        procedureVersion: 1,
        fieldCode: 'ATTP',
        agencyCode: '000.00.17.H55',
        receivingAgencyCode: '000.20.17.H55',
        channel: 'direct',
        status: 'received',
        applicant: { kind: 'person', fullName: 'Nguyễn Văn An' },
        receivedAt: '2026-11-23T02:15:00.000Z',
        dueAt: null,
        version: 1,
      },
    ],
  });

const toApi = (r: DossierRow) => ({
  id: r.id,
  code: r.code,
  procedureCode: r.procedure_code,
  procedureVersion: r.procedure_version,
  fieldCode: r.field_code,
  agencyCode: r.agency_code,
  receivingAgencyCode: r.receiving_agency_code,
  channel: r.channel,
  status: r.status,
  applicant: { kind: r.applicant_kind, fullName: r.applicant_name },
  receivedAt: r.received_at.toISOString(),
  dueAt: r.due_at ? r.due_at.toISOString() : null,
  version: r.version,
});

export function dossierRoutes(app: ServiceApp, deps: AppDeps): void {
  app.post(
    '/v1/dossiers',
    {
      schema: {
        operationId: 'receiveDossier',
        tags: ['dossiers'],
        summary: 'Receive a dossier at the desk',
        body: CreateDossier,
        response: { 201: Dossier, ...errorResponses(422) },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const row = await withTransaction(deps.db, async (tx) => {
        const receivedAt = deps.clock();
        const found = await procedureInForce(tx, body.procedureCode, vnDate(receivedAt));
        if (!found || found.status !== 'published') {
          throw problems.unprocessable(
            'unknown_procedure',
            `procedure ${body.procedureCode} is not a procedure in force (${found ? found.status : 'not published'})`,
            [{ in: 'body', pointer: '/procedureCode', detail: 'no procedure with this code is in force today' }],
          );
        }
        const procedure = found.version;
        const serial = await nextSerial(tx, procedure.receiving_agency_code, vnDate(receivedAt));
        const { kind, fullName, ...contact } = body.applicant;
        const dossier = await insertDossier(tx, {
          id: randomUUID(),
          code: dossierCode(procedure.receiving_agency_code, receivedAt, serial),
          procedure_code: procedure.code,
          procedure_version: procedure.version,
          field_code: procedure.field_code,
          agency_code: procedure.deciding_agency_code,
          receiving_agency_code: procedure.receiving_agency_code,
          channel: body.channel,
          status: 'received',
          applicant_kind: kind,
          applicant_name: fullName,
          applicant_contact: JSON.stringify(contact),
          received_at: receivedAt,
          // Working-day due dates come with the calendar package (issue 4); until then none is promised.
          due_at: null,
          version: 1,
        });
        await emitEvent(
          tx,
          'dossier.received',
          {
            dossierId: dossier.id,
            code: dossier.code,
            procedureCode: dossier.procedure_code,
            procedureVersion: dossier.procedure_version,
            fieldCode: dossier.field_code,
            agencyCode: dossier.agency_code,
            receivingAgencyCode: dossier.receiving_agency_code,
            channel: dossier.channel,
            receivedAt: dossier.received_at.toISOString(),
            dueAt: null,
          },
          { source: 'intake', entityId: dossier.id, entityVersion: dossier.version, requestId: request.id },
        );
        return dossier;
      });
      deps.onEventsWritten();
      return reply.status(201).send(toApi(row));
    },
  );

  app.get(
    '/v1/dossiers/:code',
    {
      schema: {
        operationId: 'getDossier',
        tags: ['dossiers'],
        summary: 'Get a dossier by its code',
        params: z.object({ code: z.string().max(80) }),
        response: { 200: Dossier, ...errorResponses(404) },
      },
    },
    async (request) => {
      const row = await findDossierByCode(deps.db, request.params.code);
      if (!row) throw problems.notFound('dossier', `dossier ${request.params.code} not found`);
      return toApi(row);
    },
  );
}
