/**
 * Payment card numbers: 13-19 digits, written together or in groups split by spaces or hyphens, that
 * pass the Luhn check and start as issued cards do (2-6: Mir, Visa, Mastercard, Amex, Diners, JCB,
 * Discover, UnionPay, Maestro), so millisecond timestamps and long ids starting with 1, 7-9 stay.
 */
import type { Detector, Span } from './detector.ts';

/** Whether a string of digits passes the Luhn (mod 10) check. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i -= 1) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Finds card numbers (Luhn-valid, 13-19 digits). */
export const cardDetector: Detector = {
  name: 'card',
  candidates: /(?<![\w.,+/#-])[2-6]\d{3}(?:[ -]?\d){9,21}(?!\w|[.,/-]\d)/g,
  mayContain: (text) => text.length >= 13,
  accept: acceptCard,
};

function acceptCard(candidate: string): Span | null {
  const groups = [...candidate.matchAll(/\d+/g)];
  const separators = new Set(candidate.replace(/\d+/g, '|').split('|').filter(Boolean));
  if (separators.size > 1) return null; // `4111-1111 1111…` mixes separators: not as cards are written
  // The longest run of whole groups from the start that is a card number (a number may follow it).
  for (let j = groups.length - 1; j >= 0; j -= 1) {
    const last = groups[j] as RegExpExecArray;
    const end = last.index + last[0].length;
    const digits = candidate.slice(0, end).replace(/\D/g, '');
    if (digits.length >= 13 && digits.length <= 19 && luhnValid(digits)) return [0, end];
  }
  return null;
}
