import { describe, expect, it } from 'vitest';
import { counterLabel } from './redaction-labels.ts';

describe('counterLabel', () => {
  it('names built-in detectors, project patterns and other counters', () => {
    expect(counterLabel('redacted:email')).toBe('Redacted: e-mail addresses');
    expect(counterLabel('redacted:card')).toBe('Redacted: card numbers');
    expect(counterLabel('redacted:api_key')).toBe('Redacted: API keys and tokens');
    expect(counterLabel('redacted:order_id')).toBe('Redacted by pattern “order_id”');
    expect(counterLabel('text_replaced')).toMatch(/U\+FFFD/);
    expect(counterLabel('something_new')).toBe('something_new');
  });
});
