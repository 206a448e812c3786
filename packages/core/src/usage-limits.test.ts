import { describe, expect, it } from 'vitest';
import { newId } from './ids.ts';
import { parseIngestRequest } from './ingest.ts';
import { LIMITS } from './limits.ts';

const step = (usage: Record<string, unknown>) => ({
  id: newId(),
  type: 'step',
  timestamp: '2026-01-01T00:00:00.000Z',
  body: { conversationId: 'c', stepId: newId(), type: 'llm', name: 'chat', usage: { model: 'm', ...usage } },
});

describe('step usage limits', () => {
  // The hostile-input suite's costUsd = Number.MAX_VALUE made PostgreSQL's cost sums overflow (a 500).
  it('refuses a cost or token count whose sums a store could not keep, naming the field and the limit', () => {
    const parsed = parseIngestRequest({
      events: [
        step({ costUsd: Number.MAX_VALUE }),
        step({ costUsd: LIMITS.maxCostUsd + 0.01 }),
        step({ inputTokens: LIMITS.maxTokens + 1 }),
        step({ outputTokens: 2 ** 53 - 1 }),
        step({ totalTokens: 1e308 }),
        step({ costUsd: LIMITS.maxCostUsd, inputTokens: LIMITS.maxTokens, outputTokens: 0, totalTokens: 1 }),
      ],
    });
    expect(parsed.events.map((e) => e.index)).toEqual([5]);
    expect(parsed.rejected.map((r) => [r.issues[0]?.path, r.issues[0]?.message])).toEqual([
      ['events.0.body.usage.costUsd', 'must be at most 1000000 USD'],
      ['events.1.body.usage.costUsd', 'must be at most 1000000 USD'],
      ['events.2.body.usage.inputTokens', 'must be at most 1000000000 tokens'],
      ['events.3.body.usage.outputTokens', 'must be at most 1000000000 tokens'],
      ['events.4.body.usage.totalTokens', expect.any(String)],
    ]);
  });
});
