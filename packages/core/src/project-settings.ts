import { z } from 'zod';
import { retentionDaysSchema } from './retention.ts';

/** The secrets the collector can find and redact by itself (see the redaction rules of a project). */
export const REDACTION_DETECTORS = ['email', 'phone', 'card', 'iban', 'api_key'] as const;
export type RedactionDetector = (typeof REDACTION_DETECTORS)[number];

/** A project's own redaction pattern: a JavaScript regular expression, its matches replaced. */
export const redactionPatternSchema = z.object({
  name: z
    .string()
    .min(1)
    .max(64, 'must be at most 64 characters')
    .regex(/^[a-z0-9_-]+$/, 'may contain only a-z, 0-9, "_" and "-"'),
  pattern: z.string().min(1).max(1_000, 'must be at most 1000 characters'),
  /** What replaces a match (default `[REDACTED:<name>]`). */
  replacement: z.string().max(200).optional(),
});

/**
 * What a project decides about its data: how long it is kept and what is redacted before anything is
 * written. Every field is optional; `null` clears a setting back to its default.
 */
export const projectSettingsSchema = z
  .object({
    /**
     * Days conversations are kept after their last activity (null or absent: forever); a conversation
     * past it expires whole, with its messages, steps, feedback and scores.
     */
    retentionDays: retentionDaysSchema.nullable().optional(),
    redaction: z
      .object({
        detectors: z.array(z.enum(REDACTION_DETECTORS)).max(REDACTION_DETECTORS.length).default([]),
        patterns: z.array(redactionPatternSchema).max(50, 'must hold at most 50 patterns').default([]),
      })
      .nullable()
      .optional(),
  })
  .strict();

export type ProjectSettings = z.infer<typeof projectSettingsSchema>;
export type ProjectSettingsInput = z.input<typeof projectSettingsSchema>;
