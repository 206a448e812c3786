/**
 * Turns arithmetic written in words into symbols for the demo model's parser: "6 multiplied by 7",
 * "12 divided by 4", "ten minus three", "multiply 6 by 7", "subtract 3 from 10", "the sum of 2 and 3",
 * "6 x 7", "12 ÷ 4", "1,000 + 1". Numbers in words from zero to ninety-nine.
 */

const UNITS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS = ['twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const NUMBER_WORD = new RegExp(
  `\\b(?:(${TENS.join('|')})(?:[\\s-](${UNITS.slice(1, 10).join('|')}))?|(${UNITS.join('|')}))\\b`,
  'gi',
);

/** A number as the parser reads it, with an optional sign. */
const N = String.raw`(-?\d+(?:\.\d+)?)`;

/** "multiply 6 by 7" and friends: the operation named before its operands. */
const VERB_FORMS: Array<[RegExp, string]> = [
  [new RegExp(String.raw`\bmultiply\s+${N}\s+(?:by|and|with|times)\s+${N}`, 'gi'), '$1 * $2'],
  [new RegExp(String.raw`\bdivide\s+${N}\s+by\s+${N}`, 'gi'), '$1 / $2'],
  [new RegExp(String.raw`\badd\s+${N}\s+(?:and|to|plus)\s+${N}`, 'gi'), '$1 + $2'],
  [new RegExp(String.raw`\bsubtract\s+${N}\s+from\s+${N}`, 'gi'), '$2 - $1'],
  [new RegExp(String.raw`\bsum\s+of\s+${N}\s+and\s+${N}`, 'gi'), '$1 + $2'],
  [new RegExp(String.raw`\bproduct\s+of\s+${N}\s+and\s+${N}`, 'gi'), '$1 * $2'],
  [new RegExp(String.raw`\bdifference\s+between\s+${N}\s+and\s+${N}`, 'gi'), '$1 - $2'],
  [new RegExp(String.raw`\bquotient\s+of\s+${N}\s+and\s+${N}`, 'gi'), '$1 / $2'],
];

/** Operators written as words or as other symbols, between the operands. */
const WORD_OPERATORS: Array<[RegExp, string]> = [
  [/\bmultiplied by\b|\btimes\b|[×✕∗·]/gi, '*'],
  [/\bdivided by\b|\bover\b|[÷∕]/gi, '/'],
  [/\bplus\b|\badded to\b/gi, '+'],
  [/\bminus\b|\bless\b(?=\s*-?\d)|[−–]/gi, '-'],
  [/\bto the power of\b|\braised to\b/gi, '^'],
  [/\bmod(?:ulo)?\b/gi, '%'],
  [/(\d)\s*x\s*(?=-?\d)/gi, '$1 * '],
];

function numberWord(tens: string | undefined, unit: string | undefined, alone: string | undefined): string {
  if (alone) return String(UNITS.indexOf(alone.toLowerCase()));
  const value = (TENS.indexOf((tens ?? '').toLowerCase()) + 2) * 10;
  return String(value + (unit ? UNITS.indexOf(unit.toLowerCase()) : 0));
}

/** `text` with number words as digits, "1,000" as 1000, and arithmetic words as + - * / % ^. */
export function arithmeticInSymbols(text: string): string {
  let normalized = text
    .replace(/(\d),(?=\d{3}\b)/g, '$1')
    .replace(NUMBER_WORD, (_match, tens?: string, unit?: string, alone?: string) =>
      numberWord(tens, unit, alone),
    );
  for (const [pattern, replacement] of VERB_FORMS) normalized = normalized.replace(pattern, replacement);
  for (const [pattern, symbol] of WORD_OPERATORS) normalized = normalized.replace(pattern, symbol);
  return normalized;
}
