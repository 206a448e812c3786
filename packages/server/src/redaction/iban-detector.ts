/**
 * IBANs: a country code, two check digits and the country's account number, written together or in
 * groups split by single spaces, upper or lower case; found only when the length is the country's
 * (SWIFT IBAN registry) and the mod-97 check holds.
 */
import type { Detector, Span } from './detector.ts';

/** Length of an IBAN per country (SWIFT IBAN registry). */
// biome-ignore format: a table reads better in rows
const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28,
  CH: 21, CR: 22, CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18,
  FK: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22,
  IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20,
  LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MN: 20, MR: 27, MT: 31, MU: 30, NI: 28, NL: 18,
  NO: 15, OM: 23, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, RU: 33, SA: 24, SC: 31,
  SD: 18, SE: 24, SI: 19, SK: 24, SM: 27, SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29,
  VA: 22, VG: 24, XK: 20, YE: 30,
};

/** Whether an IBAN (upper case, no spaces) passes the ISO 13616 mod-97 check. */
export function ibanChecksumValid(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const code = char.charCodeAt(0);
    const value = code >= 65 ? code - 55 : code - 48; // A=10 … Z=35
    remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
  }
  return remainder === 1;
}

/** Finds IBANs (country length and mod-97 check). */
export const ibanDetector: Detector = {
  name: 'iban',
  candidates: /(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]){11,32}(?![A-Za-z0-9])/g,
  mayContain: (text) => text.length >= 15,
  accept: acceptIban,
};

function acceptIban(candidate: string): Span | null {
  const length = IBAN_LENGTHS[candidate.slice(0, 2).toUpperCase()];
  if (length === undefined) return null;
  // Take the country's number of characters; the candidate may run on into the words after it.
  let taken = '';
  let end = 0;
  while (end < candidate.length && taken.length < length) {
    const char = candidate[end] as string;
    if (char !== ' ') taken += char;
    end += 1;
  }
  if (taken.length < length || /[A-Za-z0-9]/.test(candidate[end] ?? '')) return null;
  const iban = taken.toUpperCase();
  return /^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban) && ibanChecksumValid(iban) ? [0, end] : null;
}
