import { z } from 'zod';

/**
 * Markup that would run as script where a narrative is shown (a browser opening an HTML preview,
 * a viewer with scripting): refused at the door, naming the field. Whatever remains is plain text
 * that every format escapes for itself (XML in DOCX and XLSX, formula prefixes in CSV).
 */
const SCRIPT =
  /<\s*\/?\s*(script|iframe|object|embed|style|svg|math|link|meta)\b|javascript\s*:|\bon[a-z]+\s*=\s*["'`]?/i;

/** An officer's text: NFC (Vietnamese composed the one way), no script, a sane length. */
export const NarrativeText = z
  .string()
  .max(20_000)
  .refine((s) => !SCRIPT.test(s), { message: 'script or markup is not allowed in a narrative' })
  .transform((s) => s.normalize('NFC').trim());

const Count = z.number().int().nonnegative();

/** The narrative of the reform report: what the suite does not hold, written by an officer. */
export const ReformNarrative = z
  .object({
    direction: z
      .object({
        planTasksTotal: Count.optional(),
        planTasksDone: Count.optional(),
        planTasksInProgress: Count.optional(),
        documentsIssued: Count.optional(),
        inspections: Count.optional(),
        text: NarrativeText.optional(),
        communication: NarrativeText.optional(),
      })
      .default({}),
    institutions: NarrativeText.optional(),
    procedures: NarrativeText.optional(),
    organisation: NarrativeText.optional(),
    civilService: NarrativeText.optional(),
    publicFinance: NarrativeText.optional(),
    eGovernment: NarrativeText.optional(),
    assessment: NarrativeText.optional(),
    nextSteps: NarrativeText.optional(),
    proposals: NarrativeText.optional(),
  })
  .refine(
    (n) =>
      n.direction.planTasksTotal === undefined ||
      (n.direction.planTasksDone ?? 0) + (n.direction.planTasksInProgress ?? 0) <= n.direction.planTasksTotal,
    { message: 'done and in progress add up to more than the total', path: ['direction', 'planTasksTotal'] },
  );
export type ReformNarrative = z.infer<typeof ReformNarrative>;

/** The text an officer has not written yet, as the draft shows it. */
export const TO_BE_WRITTEN = '(Nội dung do cơ quan báo cáo bổ sung.)';
