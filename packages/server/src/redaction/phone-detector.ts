/**
 * Phone numbers. A candidate is a run of digits and separators (space, `-`, `.`, parentheses) starting at
 * a token boundary; it is a phone number when it reads as one of:
 * - international: `+` (or `00` and a separate group) and 8-15 digits (E.164), e.g. `+44 20 7946 0958`;
 * - a parenthesised area code and 10-12 digits in all, e.g. `(555) 123-4567`, `(030) 1234 5678`;
 * - a national number with a trunk `0` and 10-12 digits in groups of two or more, e.g. `020 7946 0958`,
 *   `06 12 34 56 78`, `0151 23456789`, `07700900123`;
 * - North American `555-123-4567` / `555.123.4567` / `1 555 123 4567` (area code and exchange from 2-9).
 * Dates, times, versions, IP addresses, prices and plain runs of digits (ids, order numbers, timestamps)
 * read as none of these and stay.
 */
import type { Detector, Span } from './detector.ts';

interface Group {
  digits: string;
  /** Offsets of the group's first digit and one past its last, in the candidate. */
  start: number;
  end: number;
}

/** What may stand between two groups of digits. */
const SEPARATOR = /^(?:[ .-]|\) ?|\)-| ?\()$/;

/** Finds phone numbers in international and common national formats. */
export const phoneDetector: Detector = {
  name: 'phone',
  candidates: /(?<![\w+.,/#$€£:-])\+?\(?\d[\d ().-]{6,24}\d(?!\w|[.,/:-]\d)/g,
  mayContain: (text) => text.length >= 10,
  accept: acceptPhone,
};

function acceptPhone(candidate: string): Span | null {
  const groups: Group[] = [];
  for (const match of candidate.matchAll(/\d+/g))
    groups.push({ digits: match[0], start: match.index, end: match.index + match[0].length });
  // The longest run of groups that reads as a phone number, leftmost first.
  for (let i = 0; i < groups.length; i += 1) {
    if (i > 0 && !startsNumber(candidate, groups, i)) continue;
    for (let j = groups.length - 1; j >= i; j -= 1) {
      const run = groups.slice(i, j + 1);
      const separators = separatorsOf(candidate, run);
      if (!separatorsValid(separators)) continue;
      const written = leadOf(candidate, groups, i);
      // `(0151 2345678)`: a parenthesis around the whole number is punctuation, not an area code.
      const lead = written === '(' && !(separators[0] ?? '').startsWith(')') ? '' : written;
      if (isPhone(lead, run, separators))
        return [(groups[i] as Group).start - lead.length, (groups[j] as Group).end];
    }
  }
  return null;
}

/** `+`, `(` or `+(`… written just before group `i` (only a whole candidate's start may carry one). */
function leadOf(candidate: string, groups: Group[], i: number): string {
  const start = (groups[i] as Group).start;
  if (i === 0) return candidate.slice(0, start);
  return candidate[start - 1] === '(' ? '(' : '';
}

/** Whether a number may start at group `i` of a candidate: after a space (not inside `1-2-3`). */
function startsNumber(candidate: string, groups: Group[], i: number): boolean {
  const previousEnd = (groups[i - 1] as Group).end;
  const between = candidate.slice(previousEnd, (groups[i] as Group).start);
  return between === ' ' || between === ' (';
}

function separatorsOf(candidate: string, run: Group[]): string[] {
  const separators: string[] = [];
  for (let k = 1; k < run.length; k += 1)
    separators.push(candidate.slice((run[k - 1] as Group).end, (run[k] as Group).start));
  return separators;
}

function separatorsValid(separators: string[]): boolean {
  let dots = 0;
  let others = 0;
  for (const separator of separators) {
    if (!SEPARATOR.test(separator)) return false;
    if (separator === '.') dots += 1;
    else if (!/[()]/.test(separator)) others += 1;
  }
  // `1.2.3-4` mixes kinds of separators as versions and ids do; phone numbers keep to one.
  return dots === 0 || others === 0;
}

function isPhone(lead: string, run: Group[], separators: string[]): boolean {
  const digits = run.map((g) => g.digits).join('');
  const n = digits.length;
  const first = run[0] as Group;
  if (lead.startsWith('+')) return n >= 8 && n <= 15 && digits[0] !== '0';
  // Without `+`, parentheses may only wrap the first group: `(555) 123-4567`.
  const parenthesised = lead === '(' && (separators[0] ?? '').startsWith(')');
  const strayParens = separators.slice(parenthesised ? 1 : 0).some((s) => /[()]/.test(s));
  if (strayParens) return false;
  if (parenthesised) return n >= 10 && n <= 12;
  if (first.digits.startsWith('00') && run.length >= 2 && first.digits.length >= 3)
    return first.digits.length <= 5 && n - 2 >= 8 && n - 2 <= 15 && digits[2] !== '0';
  if (/^0[1-9]/.test(digits)) {
    if (run.length === 1) return n === 10 || n === 11;
    return n >= 10 && n <= 12 && run.every((g) => g.digits.length >= 2);
  }
  const lengths = run.map((g) => g.digits.length).join(',');
  if (lengths === '3,3,4') return /^[2-9]\d\d[2-9]/.test(digits);
  if (lengths === '1,3,3,4') return /^1[2-9]\d\d[2-9]/.test(digits);
  return false;
}
