/**
 * A project's redaction rules, compiled once per settings version: the built-in detectors it turned on
 * (in a fixed order: API keys first, whose digits would otherwise read as phone or card numbers, then
 * e-mail, IBAN, card, phone) and then its own patterns. Each match becomes `[REDACTED:<rule>]` (a
 * pattern may name its own replacement).
 */
import type { RedactionDetector } from '@sightline/core';
import { apiKeyDetector } from './api-key-detector.ts';
import { cardDetector } from './card-detector.ts';
import { applyDetector, type Detector } from './detector.ts';
import { emailDetector } from './email-detector.ts';
import { ibanDetector } from './iban-detector.ts';
import { phoneDetector } from './phone-detector.ts';
import { RedactionRuleError, type RedactionRun } from './redaction-run.ts';
import { applyUserPattern, compileUserPattern, type UserPattern } from './user-pattern.ts';

/** The built-in detectors in the order they run. */
export const DETECTORS: readonly Detector[] = [
  apiKeyDetector,
  emailDetector,
  ibanDetector,
  cardDetector,
  phoneDetector,
];

/** The redaction part of a project's settings (core's projectSettingsSchema). */
export interface RedactionSettings {
  detectors?: readonly RedactionDetector[];
  patterns?: ReadonlyArray<{ name: string; pattern: string; replacement?: string | undefined }>;
}

/** Shortest text a built-in detector can find anything in (`a@b.co`). */
const SHORTEST_SECRET = 6;

export class RedactionRules {
  /** The settings these rules were compiled from, as JSON: equal versions compile to equal rules. */
  readonly version: string;
  /** False when no rule is on: redacting is then skipped altogether. */
  readonly active: boolean;
  readonly #detectors: readonly Detector[];
  readonly #patterns: readonly UserPattern[];

  constructor(settings: RedactionSettings | null | undefined) {
    const enabled = new Set(settings?.detectors ?? []);
    this.#detectors = DETECTORS.filter((detector) => enabled.has(detector.name));
    this.#patterns = (settings?.patterns ?? []).map(compileUserPattern);
    this.active = this.#detectors.length > 0 || this.#patterns.length > 0;
    this.version = rulesVersion(settings);
  }

  /** `text` with every secret replaced; counts go to `run`. Throws RedactionRuleError when a rule fails. */
  redact(text: string, run: RedactionRun): string {
    let out = text;
    if (out.length >= SHORTEST_SECRET) {
      for (const detector of this.#detectors) {
        const found = { count: 0 };
        try {
          out = applyDetector(detector, out, `[REDACTED:${detector.name}]`, found);
        } catch (error) {
          throw new RedactionRuleError(detector.name, `failed: ${(error as Error).message}`);
        }
        if (found.count > 0) run.counts[detector.name] = (run.counts[detector.name] ?? 0) + found.count;
      }
    }
    for (const pattern of this.#patterns) {
      try {
        out = applyUserPattern(pattern, out, run);
      } catch (error) {
        if (error instanceof RedactionRuleError) throw error;
        throw new RedactionRuleError(pattern.name, `failed: ${(error as Error).message}`);
      }
    }
    return out;
  }
}

/** The version string of a redaction setting (JSON of what matters, in a stable order). */
export function rulesVersion(settings: RedactionSettings | null | undefined): string {
  return JSON.stringify([settings?.detectors ?? [], settings?.patterns ?? []]);
}
