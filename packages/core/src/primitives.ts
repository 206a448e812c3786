import { z } from 'zod';
import { LIMITS } from './limits.ts';

// biome-ignore lint/suspicious/noControlCharactersInRegex: ids must not carry control characters
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/**
 * A caller-chosen identifier (conversation, customer, step): 1..256 printable characters, and not `.` or
 * `..`: URL parsers remove those as dot segments (`/v1/conversations/..` is `/v1/`), so no URL could name
 * what they identify.
 */
export const idString = z
  .string()
  .min(1, 'must not be empty')
  .max(LIMITS.maxIdLength, `must be at most ${LIMITS.maxIdLength} characters`)
  .refine((value) => !CONTROL_CHARACTERS.test(value), 'must not contain control characters')
  .refine((value) => value.isWellFormed(), 'must be well-formed Unicode (it has a lone UTF-16 surrogate)')
  .refine(
    (value) => value !== '.' && value !== '..',
    'must not be "." or "..": a URL path cannot name it (dot segments are removed)',
  );

/** A short label (name, source, device, model...): up to 512 characters. */
export const label = z
  .string()
  .max(LIMITS.maxNameLength, `must be at most ${LIMITS.maxNameLength} characters`);

/** An event id: a UUID (v7 recommended, so ids sort by time). */
export const eventId = z.uuid({ message: 'must be a UUID (v7 recommended)' });

/** An ISO 8601 timestamp with a time zone, e.g. `2026-01-31T12:00:00.000Z`. */
export const timestamp = z.iso.datetime({
  offset: true,
  message: 'must be an ISO 8601 date-time with a time zone',
});

/** Where a conversation came from, e.g. `api`, `web`, `slack`. */
export const source = label;

/** Deployment environment: `production`, `development` or a custom name. */
export const environment = z
  .string()
  .min(1)
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9_.-]+$/, 'may contain only letters, digits, "_", "." and "-"');

/** Converts an ISO timestamp to epoch milliseconds. */
export function toEpochMs(iso: string): number {
  return Date.parse(iso);
}

/** Converts epoch milliseconds to an ISO timestamp in UTC. */
export function toIso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
