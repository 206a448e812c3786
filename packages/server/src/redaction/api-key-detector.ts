/**
 * API keys and tokens by their published shapes: OpenAI and Anthropic `sk-…` (`sk-proj-…`,
 * `sk-ant-api03-…`), Stripe secret and restricted keys `sk_live_…`/`rk_live_…` (and `_test_`), AWS access
 * key ids `AKIA…`/`ASIA…`, GitHub `ghp_`/`gho_`/`ghu_`/`ghs_`/`ghr_` and `github_pat_…`, Slack
 * `xoxb-`/`xoxa-`/`xoxp-`…, Google `AIza…`, JSON Web Tokens `eyJ….eyJ….…`, Sightline's own `sl_<scope>_…`
 * keys, and PEM private-key blocks. Each starts at a token boundary and takes the whole token.
 */
import type { Detector, Span } from './detector.ts';

const SHAPES = [
  /sk-(?:proj-|svcacct-|admin-|ant-(?:api|admin)\d\d-)?[A-Za-z0-9_-]{20,}/,
  /[sr]k_(?:live|test)_[A-Za-z0-9]{16,}/,
  /(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}/,
  /gh[pousr]_[A-Za-z0-9]{36,}/,
  /github_pat_[A-Za-z0-9_]{22,}/,
  /xox[abposr]-[A-Za-z0-9-]{10,}/,
  /AIza[A-Za-z0-9_-]{35}/,
  /eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/,
  /sl_(?:ingest|read|chat|admin)_[A-Za-z0-9_-]{16,}/,
  /-----BEGIN[A-Z ]{0,40} PRIVATE KEY-----(?:\r?\n[A-Za-z0-9+/=]+)*(?:\r?\n-----END[A-Z ]{0,40} PRIVATE KEY-----)?/,
];

/** First characters of every shape: a text with none of them holds no key. */
const PREFILTER = /sk-|[sr]k_|A[KSBC][IC]A|gh[pousr]_|github_pat_|xox|AIza|eyJ|sl_|-----BEGIN/;

/** Finds API keys and tokens of well-known shapes. */
export const apiKeyDetector: Detector = {
  name: 'api_key',
  candidates: new RegExp(
    `(?<![A-Za-z0-9_-])(?:${SHAPES.map((shape) => shape.source).join('|')})(?![A-Za-z0-9_-])`,
    'g',
  ),
  mayContain: (text) => PREFILTER.test(text),
  accept: acceptKey,
};

function acceptKey(candidate: string): Span | null {
  // `sk-` followed by hyphenated words is prose; a key's random part holds digits.
  if (candidate.startsWith('sk-') && !/\d/.test(candidate.slice(3))) return null;
  return [0, candidate.length];
}
