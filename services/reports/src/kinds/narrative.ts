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

/** Section I's figures: counted from the reform plan and registers kept in kpi, never typed in. */
const FROM_PLAN = [
  'planTasksTotal',
  'planTasksDone',
  'planTasksInProgress',
  'documentsIssued',
  'inspections',
];

/** The narrative of the reform report: what the suite does not hold, written by an officer. */
export const ReformNarrative = z.object({
  direction: z
    .object({
      text: NarrativeText.optional(),
      communication: NarrativeText.optional(),
    })
    .catchall(z.unknown())
    .superRefine((d, ctx) => {
      for (const key of Object.keys(d))
        if (FROM_PLAN.includes(key))
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message:
              'section I counts come from the reform plan and registers kept in kpi (/v1/kpi/plan-tasks, /v1/kpi/reform-registers), not from the request',
          });
    })
    .transform(({ text, communication }) => ({
      ...(text !== undefined ? { text } : {}),
      ...(communication !== undefined ? { communication } : {}),
    }))
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
});
export type ReformNarrative = z.infer<typeof ReformNarrative>;

/** The text an officer has not written yet, as the draft shows it. */
export const TO_BE_WRITTEN = '(Nội dung do cơ quan báo cáo bổ sung.)';
