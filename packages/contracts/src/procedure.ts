import { z } from 'zod';

/** Channels of a dossier, as the national portal codes them: 1 direct, 2 online, 3 postal. */
export const Channel = z.enum(['direct', 'online', 'postal']);
export type Channel = z.infer<typeof Channel>;

/** Online service level under Nghị định 42/2022: toàn trình (full), một phần (partial), none. */
export const OnlineLevel = z.enum(['full', 'partial', 'none']);
export type OnlineLevel = z.infer<typeof OnlineLevel>;

/** Level of government; kept as data so periods before the 2025 two-tier reform still report. */
export const AuthorityLevel = z.enum(['province', 'district', 'commune']);
export type AuthorityLevel = z.infer<typeof AuthorityLevel>;

export const TimeUnit = z.enum(['working_days', 'working_hours', 'days', 'months']);
export type TimeUnit = z.infer<typeof TimeUnit>;

export const ProcessingTime = z
  .object({ value: z.number().int().min(0).max(3650), unit: TimeUnit })
  .meta({ example: { value: 15, unit: 'working_days' } });
export type ProcessingTime = z.infer<typeof ProcessingTime>;

export const FeeItem = z.object({
  name: z.string().min(1).max(500),
  amount: z.number().int().min(0, 'fee: an amount in đồng, not negative').max(1_000_000_000_000),
});
export type FeeItem = z.infer<typeof FeeItem>;

/** How a procedure is carried out through one channel: its processing time and fees (per channel, Nghị định 63/2010 Art. 8). */
export const ProcedureMethod = z.object({
  channel: Channel,
  processingTime: ProcessingTime,
  fees: z.array(FeeItem).max(50),
  note: z.string().max(2000).nullable(),
});
export type ProcedureMethod = z.infer<typeof ProcedureMethod>;

/** One document of the dossier; `case` groups components by variant of the procedure (null: every case). */
export const DossierComponent = z.object({
  case: z.string().max(500).nullable(),
  name: z.string().min(1).max(2000),
  originals: z.number().int().min(0).max(100),
  copies: z.number().int().min(0).max(100),
  formTemplate: z.string().max(500).nullable(),
});
export type DossierComponent = z.infer<typeof DossierComponent>;

export const InterAgencyStep = z.object({
  agencyCode: z.string(),
  order: z.number().int().min(1),
  task: z.string().max(1000),
  processingTime: ProcessingTime,
});

export const InterAgency = z.object({
  mode: z.enum(['sequential', 'parallel']),
  participants: z.array(InterAgencyStep).min(1).max(20),
});
export type InterAgency = z.infer<typeof InterAgency>;
