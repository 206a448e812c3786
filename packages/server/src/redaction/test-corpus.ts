/**
 * A seeded corpus for the redaction acceptance test and bench: chat messages with planted secrets of
 * every built-in kind (several written forms each), and clean chat text full of near misses (dates,
 * times, order numbers, prices, versions, phone-like ids) for the false-positive rate.
 */
import { REDACTION_DETECTORS, type RedactionDetector } from '@sightline/core';
import { luhnValid } from './card-detector.ts';
import { RedactionRules } from './redaction-rules.ts';
import { newRun } from './redaction-run.ts';

/** A small deterministic PRNG (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface Secret {
  kind: RedactionDetector;
  text: string;
}

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const digits = (random: Random, n: number, first = '0123456789') => {
  let out = pick(random, [...first]);
  for (let i = 1; i < n; i += 1) out += Math.floor(random() * 10);
  return out;
};
const chars = (random: Random, n: number, alphabet: string) => {
  let out = '';
  for (let i = 0; i < n; i += 1) out += alphabet[Math.floor(random() * alphabet.length)];
  return out;
};
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_NUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function email(random: Random): string {
  const local = `${pick(random, ['jane', 'ahmed', 'li.wei', 'maria_g', 'o.connor', 'sam+orders'])}${digits(random, 4)}`;
  return `${local}@${pick(random, ['example.com', 'mail.example.co.uk', 'corp-mail.io', 'uni.example.edu'])}`;
}

function phone(random: Random): string {
  const nanp = () => `${digits(random, 3, '23456789')}`;
  const forms = [
    () => `+1 (${nanp()}) ${nanp()}-${digits(random, 4)}`,
    () => `+44 20 ${digits(random, 4)} ${digits(random, 4)}`,
    () => `+44 (0)7700 ${digits(random, 6)}`,
    () => `+49 151 ${digits(random, 8)}`,
    () => `+33 6 ${digits(random, 2)} ${digits(random, 2)} ${digits(random, 2)} ${digits(random, 2)}`,
    () => `+4915${digits(random, 9)}`,
    () => `(${nanp()}) ${nanp()}-${digits(random, 4)}`,
    () => `${nanp()}-${nanp()}-${digits(random, 4)}`,
    () => `${nanp()}.${nanp()}.${digits(random, 4)}`,
    () => `020 ${digits(random, 4)} ${digits(random, 4)}`,
    () => `06 ${digits(random, 2)} ${digits(random, 2)} ${digits(random, 2)} ${digits(random, 2)}`,
    () => `0151 ${digits(random, 8)}`,
    () => `07${digits(random, 9)}`,
  ];
  return pick(random, forms)();
}

function card(random: Random): string {
  const [prefix, length] = pick(random, [
    ['4', 16],
    ['51', 16],
    ['55', 16],
    ['2221', 16],
    ['34', 15],
    ['37', 15],
    ['6011', 16],
    ['35', 16],
    ['4', 13],
    ['62', 19],
  ] as const);
  let body = prefix + digits(random, length - prefix.length - 1);
  for (let check = 0; check < 10; check += 1) {
    if (luhnValid(body + check)) {
      body += check;
      break;
    }
  }
  const form = Math.floor(random() * 3);
  if (form === 0) return body;
  const separator = form === 1 ? ' ' : '-';
  if (length === 15) return [body.slice(0, 4), body.slice(4, 10), body.slice(10)].join(separator);
  return body.match(/.{1,4}/g)?.join(separator) ?? body;
}

const IBAN_SHAPES: ReadonlyArray<[string, number, boolean]> = [
  ['DE', 22, false],
  ['GB', 22, true],
  ['FR', 27, false],
  ['NL', 18, true],
  ['ES', 24, false],
  ['IT', 27, true],
  ['CH', 21, false],
  ['NO', 15, false],
  ['PL', 28, false],
  ['BE', 16, false],
];

function iban(random: Random): string {
  const [country, length, bankLetters] = pick(random, IBAN_SHAPES);
  const bban =
    (bankLetters ? chars(random, 4, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') : '') +
    digits(random, length - 4 - (bankLetters ? 4 : 0));
  const numeric = [...`${bban}${country}00`]
    .map((c) => (c >= 'A' ? String(c.charCodeAt(0) - 55) : c))
    .join('');
  let remainder = 0;
  for (const d of numeric) remainder = (remainder * 10 + Number(d)) % 97;
  const full = `${country}${String(98 - remainder).padStart(2, '0')}${bban}`;
  const form = Math.floor(random() * 3);
  const grouped = full.match(/.{1,4}/g)?.join(' ') ?? full;
  return form === 0 ? full : form === 1 ? grouped : grouped.toLowerCase();
}

function apiKey(random: Random): string {
  const b64 = (n: number) => chars(random, n, `${ALNUM}_-`);
  const forms = [
    () => `sk-${chars(random, 48, ALNUM)}`,
    () => `sk-proj-${b64(64)}`,
    () => `sk-ant-api03-${b64(80)}`,
    () => `sk_live_${chars(random, 24, ALNUM)}`,
    () => `rk_live_${chars(random, 24, ALNUM)}`,
    () => `AKIA${chars(random, 16, UPPER_NUM)}`,
    () => `ghp_${chars(random, 36, ALNUM)}`,
    () => `gho_${chars(random, 36, ALNUM)}`,
    () => `github_pat_${chars(random, 22, ALNUM)}_${chars(random, 59, ALNUM)}`,
    () => `xoxb-${digits(random, 12)}-${digits(random, 13)}-${chars(random, 24, ALNUM)}`,
    () => `AIza${b64(35)}`,
    () => `eyJhbGciOiJIUzI1NiJ9.eyJ${b64(40)}.${b64(43)}`,
    () => `sl_ingest_${b64(32)}`,
  ];
  return pick(random, forms)();
}

const MAKERS: Record<RedactionDetector, (random: Random) => string> = {
  email,
  phone,
  card,
  iban,
  api_key: apiKey,
};

/** A planted secret of `kind`. */
export function makeSecret(random: Random, kind: RedactionDetector): Secret {
  return { kind, text: MAKERS[kind](random) };
}

const TEMPLATES = [
  'Hi, my e-mail is {s}. Can you check order #48213 from 2024-03-12?',
  'You can reach me at {s} after 5:30 pm, thanks!',
  'Please use {s} for the refund of $129.99 (invoice INV-2024-0042).',
  'The tool returned {s}; retrying in 30s (attempt 2 of 3).',
  'Saved {s} to the customer profile on 12.03.2024 at 14:05.',
  'Customer said: "my details are {s}" — ticket 55213, priority P2.',
  'Config: endpoint=https://api.example.com/v2, token={s}, timeout=30000',
  '{s}',
  'Update: {s} (version 2.14.3, build 20240312.1)',
  'Les coordonnées: {s}. Merci beaucoup!',
];

/** A chat message holding `secret`, in one of several realistic sentences. */
export function messageWith(random: Random, secret: Secret): string {
  return pick(random, TEMPLATES).replace('{s}', secret.text);
}

const CLEAN = [
  () => 'Your order #{n5} shipped on {date} and should arrive by Friday.',
  () => 'The total is {usd} including VAT; we charged the card ending in {n4}.',
  () => 'Meeting moved to {date} at {time} (room 4.12, building B).',
  () => 'Version {ver} fixes the crash reported in ticket #{n6}.',
  () => 'Tracking number 1Z{up8}{n8}, weight 2.4 kg, 3 parcels.',
  () => 'Reference ORD-{year}-{n6}; SKU AB-{n4}-XL; qty 12 at €{price} each.',
  () => 'Your appointment is confirmed for {date}, {time}. Booking id {n8}.',
  () => 'Server 10.0.{n2}.{n2} responded in {n3} ms; request id {hex}.',
  () => 'Invoice {year}/{n5} dated {date}: 1 234,56 EUR, due in 30 days.',
  () => 'Call the front desk from your room: dial 9 then 0, or extension {n4}.',
  () => 'We processed {n7} events between {date} and {date}, p95 {n3} ms.',
  () => 'Timestamp {ts} (epoch ms), session {n10}.',
  () => 'Coordinates 48.8566, 2.3522 — about {n2} km from the office.',
  () => 'Score: {n2}-{n2} after {n2} minutes; attendance {n5}.',
  () => 'Use promo code SPRING{year} before {date} for {n2}% off.',
];

/** Near misses a detector cannot tell from secrets by their form alone. */
const HARD = [
  () => 'Scanned barcode {ean} at the warehouse, shelf {n2}.',
  () => 'Your order reference is {n16}; keep it for returns.',
  () => 'Customer number 0{n9}, contract {n8}.',
];

/** An EAN-13 barcode (its own check digit, not Luhn's). */
function ean13(random: Random): string {
  const body = digits(random, 12);
  let sum = 0;
  for (let i = 0; i < 12; i += 1) sum += Number(body[i]) * (i % 2 === 0 ? 1 : 3);
  return body + ((10 - (sum % 10)) % 10);
}

/**
 * A clean chat message: no secret, but dates, numbers and ids a careless detector would take. With
 * `hard`, one in six is a near miss no detector can tell by form alone: EAN-13 barcodes and 16-digit
 * order references pass the Luhn check one time in ten, and a ten-digit customer number starting with 0
 * is written as a national phone number is.
 */
export function cleanMessage(random: Random, options: { hard?: boolean } = {}): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const template = options.hard && random() < 1 / 6 ? pick(random, HARD) : pick(random, CLEAN);
  return template()
    .replaceAll('{date}', () =>
      pick(random, [
        `2024-${pad(1 + Math.floor(random() * 12))}-${pad(1 + Math.floor(random() * 28))}`,
        `${pad(1 + Math.floor(random() * 28))}.${pad(1 + Math.floor(random() * 12))}.2024`,
        `${pad(1 + Math.floor(random() * 12))}/${pad(1 + Math.floor(random() * 28))}/2024`,
      ]),
    )
    .replaceAll('{time}', () => `${pad(Math.floor(random() * 24))}:${pad(Math.floor(random() * 60))}`)
    .replaceAll('{usd}', () => `$${Math.floor(random() * 2000)}.${pad(Math.floor(random() * 100))}`)
    .replaceAll('{price}', () => `${Math.floor(random() * 2000)}.${pad(Math.floor(random() * 100))}`)
    .replaceAll(
      '{ver}',
      () => `${Math.floor(random() * 20)}.${Math.floor(random() * 30)}.${Math.floor(random() * 300)}`,
    )
    .replaceAll('{year}', () => String(2020 + Math.floor(random() * 6)))
    .replaceAll('{ts}', () => String(1_700_000_000_000 + Math.floor(random() * 1e11)))
    .replaceAll('{hex}', () => chars(random, 16, '0123456789abcdef'))
    .replaceAll('{up8}', () => chars(random, 8, UPPER_NUM))
    .replaceAll('{ean}', () => ean13(random))
    .replace(/\{n(\d+)\}/g, (_, n: string) => digits(random, Number(n), '123456789'));
}

/** Messages changed by the rules, of `count` clean ones, and what they found. */
export function falsePositives(count: number, options: { seed?: number; hard?: boolean } = {}) {
  const rules = new RedactionRules({ detectors: [...REDACTION_DETECTORS] });
  const random = seededRandom(options.seed ?? 7);
  const changed: string[] = [];
  const run = newRun(1_000);
  for (let i = 0; i < count; i += 1) {
    const text = cleanMessage(random, { hard: options.hard ?? false });
    if (rules.redact(text, run) !== text) changed.push(text);
  }
  return { changed, counts: run.counts };
}
