/**
 * A built-in detector: a candidate regular expression, linear by construction (each starts only at a
 * token boundary, through a lookbehind, and its quantifiers are unambiguous or bounded), and a check
 * that says which part of a candidate is a secret (Luhn, mod-97, digit counts), so near-misses such as
 * dates, versions and order numbers stay as they are.
 */
import type { RedactionDetector } from '@sightline/core';

/** A secret's place inside a candidate: `[start, end)` relative to the candidate's first character. */
export type Span = readonly [start: number, end: number];

export interface Detector {
  readonly name: RedactionDetector;
  /** Global regular expression for candidates. */
  readonly candidates: RegExp;
  /** Cheap test first: false when the text cannot hold this kind of secret. */
  mayContain(text: string): boolean;
  /** The part of a candidate that is a secret, or null when it is none. */
  accept(candidate: string): Span | null;
}

/** Replaces each secret the detector finds in `text` with `replacement`; `found` counts them. */
export function applyDetector(
  detector: Detector,
  text: string,
  replacement: string,
  found: { count: number },
): string {
  if (!detector.mayContain(text)) return text;
  const regex = detector.candidates;
  regex.lastIndex = 0;
  let out = '';
  let copied = 0;
  let replaced = false;
  for (let match = regex.exec(text); match !== null; match = regex.exec(text)) {
    const span = detector.accept(match[0]);
    if (span === null) continue;
    const start = match.index + span[0];
    const end = match.index + span[1];
    out += text.slice(copied, start) + replacement;
    copied = end;
    replaced = true;
    found.count += 1;
    // Rescan what is left of the candidate after the secret (it may hold another one).
    regex.lastIndex = Math.max(end, match.index + 1);
  }
  return replaced ? out + text.slice(copied) : text;
}
