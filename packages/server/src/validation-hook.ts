import { toFieldIssues, ValidationError } from '@sightline/core';
import type { z } from 'zod';

/** zod-openapi hook: a failed request validation becomes a ValidationError naming each field (400). */
export function validationHook(result: { success: true } | { success: false; error: z.ZodError }): void {
  if (!result.success) throw new ValidationError(toFieldIssues(result.error.issues));
}
