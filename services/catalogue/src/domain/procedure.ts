import { z } from 'zod';

/** National procedure code: a digit, a dot, six digits (e.g. 1.004579); never derive meaning from the digit. */
export const NationalCode = z
  .string()
  .regex(/^\d\.\d{6}(\.[A-Z0-9.]+)?$/, 'procedure code: a digit, a dot and six digits, optionally the agency suffix')
  .meta({ example: '1.004579' });

/** NFC everywhere: text typed on a Mac or copied from a PDF often arrives decomposed (NFD). */
export const VnText = (max: number) =>
  z
    .string()
    .transform((s) => s.normalize('NFC').trim())
    .pipe(z.string().min(1).max(max));
