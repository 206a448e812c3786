/** Reads a user's model price table (JSON array of `{ model, provider?, inputPerMillion, outputPerMillion }`). */
import { readFile } from 'node:fs/promises';
import type { ModelPrice } from '@sightline/store';
import { z } from 'zod';

const pricesSchema = z.array(
  z.object({
    model: z.string().min(1).max(512),
    provider: z.string().min(1).max(512).optional(),
    inputPerMillion: z.number().nonnegative(),
    outputPerMillion: z.number().nonnegative(),
  }),
);

/** Loads and validates a price file; the error names the entry and field at fault. */
export async function readPricesFile(path: string): Promise<ModelPrice[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    throw new Error(
      `--prices: cannot read ${path} as JSON (${cause instanceof Error ? cause.message : String(cause)})`,
    );
  }
  const parsed = pricesSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`--prices: ${path}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  return parsed.data.map((price) => ({
    ...price,
    ...(price.provider ? { provider: price.provider } : {}),
  })) as ModelPrice[];
}
