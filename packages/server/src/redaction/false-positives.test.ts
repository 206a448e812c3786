/**
 * False positives on clean chat text: 10,000 seeded messages full of near misses (dates, times, order
 * and invoice numbers, prices, versions, IP addresses, tracking numbers, epoch timestamps, 10-digit
 * session ids) go through every built-in detector; the share of messages changed must stay under 0.5%.
 * A second corpus where one message in six is a near miss that no detector can tell by form (EAN-13
 * barcodes, 16-digit order references, ten-digit customer numbers starting with 0) stays under 10%.
 * `node bench/ingest/redaction.ts` prints both rates.
 */
import { describe, expect, it } from 'vitest';
import { falsePositives } from './test-corpus.ts';

describe('false positives on a clean corpus', () => {
  it('changes under 0.5% of 10,000 clean messages', () => {
    const { changed } = falsePositives(10_000);
    expect(changed.length / 10_000, changed.slice(0, 5).join('\n')).toBeLessThan(0.005);
  });
  it('changes under 10% of 10,000 messages when one in six is a near miss', () => {
    const { changed, counts } = falsePositives(10_000, { hard: true });
    expect(changed.length / 10_000).toBeLessThan(0.1);
    expect(Object.keys(counts).sort()).toEqual(['card', 'phone']); // never e-mail, IBAN or API key
  });
});
