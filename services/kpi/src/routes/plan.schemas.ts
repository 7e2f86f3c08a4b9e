import { AgencyCode } from '@tthc/contracts';
import { listPage } from '@tthc/service-kit';
import { z } from 'zod';

const Text = (max: number) =>
  z
    .string()
    .transform((s) => s.normalize('NFC').trim())
    .pipe(z.string().min(1).max(max));

const PlanDocumentIn = z.object({
  number: Text(100).meta({ example: '45/KH-SYT' }),
  title: Text(500).optional(),
  link: z.url().max(1000).optional(),
});

export const PlanTaskIn = z
  .object({
    agencyCode: AgencyCode,
    year: z.number().int().min(2000).max(2100),
    origin: z
      .enum(['own', 'province'])
      .meta({ description: 'own: the agency’s plan; province: assigned by the province' }),
    assignedBy: Text(300)
      .nullable()
      .default(null)
      .meta({ description: 'the assigning document, for a province task' }),
    title: Text(1000),
    ownerUnit: Text(300),
    dueOn: z.iso
      .date()
      .meta({ description: 'a day off moves it to the next working day when judging overdue' }),
    status: z.enum(['not_started', 'in_progress', 'done']),
    completedOn: z.iso.date().nullable().default(null),
    documents: z.array(PlanDocumentIn).max(50).default([]),
  })
  .meta({
    id: 'PlanTaskIn',
    examples: [
      {
        agencyCode: '000.00.17.H55',
        year: 2026,
        origin: 'province',
        assignedBy: 'Kế hoạch 10/KH-UBND ngày 15/01/2026',
        title: 'Rà soát, đơn giản hóa thủ tục hành chính lĩnh vực dược',
        ownerUnit: 'Phòng Nghiệp vụ Dược',
        dueOn: '2026-06-30',
        status: 'in_progress',
        completedOn: null,
        documents: [{ number: '45/KH-SYT', title: 'Kế hoạch CCHC năm 2026 của Sở Y tế' }],
      },
    ],
  });

const taskExample = {
  id: '9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  agencyCode: '000.00.17.H55',
  year: 2026,
  origin: 'province',
  assignedBy: 'Kế hoạch 10/KH-UBND ngày 15/01/2026',
  title: 'Rà soát, đơn giản hóa thủ tục hành chính lĩnh vực dược',
  ownerUnit: 'Phòng Nghiệp vụ Dược',
  dueOn: '2026-06-30',
  status: 'in_progress',
  completedOn: null,
  documents: [{ number: '45/KH-SYT' }],
  version: 1,
  updatedBy: 'lanhdao.syt',
  updatedAt: '2026-02-01T02:00:00.000Z',
};

export const PlanTaskOut = z
  .object({
    id: z.uuid(),
    agencyCode: z.string(),
    year: z.number().int(),
    origin: z.enum(['own', 'province']),
    assignedBy: z.string().nullable(),
    title: z.string(),
    ownerUnit: z.string(),
    dueOn: z.string(),
    status: z.enum(['not_started', 'in_progress', 'done']),
    completedOn: z.string().nullable(),
    documents: z.array(
      z.object({ number: z.string(), title: z.string().optional(), link: z.string().optional() }),
    ),
    version: z.number().int().meta({ description: 'send as If-Match to change the task' }),
    updatedBy: z.string(),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'PlanTask', examples: [taskExample] });

export const PlanTaskPage = listPage(PlanTaskOut).meta({
  id: 'PlanTasks',
  examples: [{ items: [taskExample], nextCursor: null }],
});

const Counts = z.object({
  total: z.number().int(),
  done: z.number().int(),
  doneLate: z.number().int(),
  inProgress: z.number().int(),
  overdue: z.number().int(),
});

export const PlanCountsOut = z
  .object({
    on: z.string(),
    judged: z.enum(['end_of_day', 'now']),
    agencies: z.array(z.string()).meta({ description: 'the agencies counted; empty: the whole province' }),
    year: z.number().int(),
    all: Counts,
    own: Counts,
    province: Counts,
    registers: z.object({
      documents: z.number().int(),
      inspections: z.number().int(),
      findings: z.number().int(),
      communication: z.number().int(),
    }),
  })
  .meta({
    id: 'PlanCounts',
    examples: [
      {
        on: '2026-06-30',
        judged: 'end_of_day',
        agencies: ['000.00.17.H55'],
        year: 2026,
        all: { total: 12, done: 7, doneLate: 1, inProgress: 4, overdue: 1 },
        own: { total: 8, done: 5, doneLate: 1, inProgress: 2, overdue: 1 },
        province: { total: 4, done: 2, doneLate: 0, inProgress: 2, overdue: 0 },
        registers: { documents: 6, inspections: 2, findings: 5, communication: 3 },
      },
    ],
  });

export const RegisterIn = z
  .object({
    agencyCode: AgencyCode,
    kind: z.enum(['document', 'inspection', 'communication']).meta({
      description: 'a document issued on reform, an inspection carried out, a communication activity',
    }),
    onDate: z.iso.date(),
    title: Text(1000),
    documentNumber: Text(100).nullable().default(null),
    findings: z
      .number()
      .int()
      .min(0)
      .nullable()
      .default(null)
      .meta({ description: 'an inspection’s findings' }),
    details: z.record(z.string(), z.unknown()).default({}),
  })
  .meta({
    id: 'ReformRegisterIn',
    examples: [
      {
        agencyCode: '000.00.17.H55',
        kind: 'inspection',
        onDate: '2026-05-12',
        title: 'Kiểm tra công tác CCHC tại Trung tâm Y tế huyện Đại Lộc',
        documentNumber: '20/KL-SYT',
        findings: 3,
        details: {},
      },
    ],
  });

const entryExample = {
  id: '1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9',
  agencyCode: '000.00.17.H55',
  kind: 'inspection',
  onDate: '2026-05-12',
  title: 'Kiểm tra công tác CCHC tại Trung tâm Y tế huyện Đại Lộc',
  documentNumber: '20/KL-SYT',
  findings: 3,
  details: {},
  version: 1,
  updatedBy: 'lanhdao.syt',
  updatedAt: '2026-05-13T02:00:00.000Z',
};

export const RegisterOut = z
  .object({
    id: z.uuid(),
    agencyCode: z.string(),
    kind: z.enum(['document', 'inspection', 'communication']),
    onDate: z.string(),
    title: z.string(),
    documentNumber: z.string().nullable(),
    findings: z.number().int().nullable(),
    details: z.record(z.string(), z.unknown()),
    version: z.number().int(),
    updatedBy: z.string(),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'ReformRegisterEntry', examples: [entryExample] });

export const RegisterPage = listPage(RegisterOut).meta({
  id: 'ReformRegisterEntries',
  examples: [{ items: [entryExample], nextCursor: null }],
});
