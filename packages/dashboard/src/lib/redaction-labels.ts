/** Words for redaction rules and the ingestion page's counters. */
import type { RedactionDetector } from '../api/project-settings-api.ts';

export interface DetectorInfo {
  name: RedactionDetector;
  label: string;
  /** What it finds, in the plural, for counters: "e-mail addresses". */
  things: string;
  example: string;
}

export const DETECTORS: readonly DetectorInfo[] = [
  { name: 'email', label: 'E-mail addresses', things: 'e-mail addresses', example: 'jane@example.com' },
  {
    name: 'phone',
    label: 'Phone numbers',
    things: 'phone numbers',
    example: '+44 20 7946 0958, (555) 234-5678, 06 12 34 56 78',
  },
  {
    name: 'card',
    label: 'Card numbers (Luhn check)',
    things: 'card numbers',
    example: '4111 1111 1111 1111',
  },
  { name: 'iban', label: 'IBANs (mod-97 check)', things: 'IBANs', example: 'DE89 3704 0044 0532 0130 00' },
  {
    name: 'api_key',
    label: 'API keys and tokens',
    things: 'API keys and tokens',
    example: 'sk-…, AKIA…, ghp_…, xoxb-…, AIza…, JWTs, sl_… keys',
  },
];

const FIXED: Record<string, string> = {
  text_replaced: 'Fields stored with U+0000 or lone surrogates replaced by U+FFFD',
};

/** A readable label for an ingest counter: `redacted:email` reads "Redacted: e-mail addresses". */
export function counterLabel(name: string): string {
  const fixed = FIXED[name];
  if (fixed) return fixed;
  if (!name.startsWith('redacted:')) return name;
  const rule = name.slice('redacted:'.length);
  const detector = DETECTORS.find((d) => d.name === rule);
  return detector ? `Redacted: ${detector.things}` : `Redacted by pattern “${rule}”`;
}
