/**
 * Conversation ids are Unicode; HTTP header values are Latin-1. A served run whose id holds a BOM or an
 * emoji streams normally, its `x-sightline-conversation-id` header percent-encoded; an id the collector
 * could never track (a lone surrogate, `..`) is refused with a 400 naming the field, never a 500.
 */
import { describe, expect, it } from 'vitest';
import { ALICE, JSON_TYPE, SSE } from '../../test/bad-request-cases.ts';
import { bearerUser, weatherAgent } from '../../test/fixtures.ts';
import { serveAgents } from './agent-routes.ts';

const router = serveAgents({ agents: [weatherAgent()], getUser: bearerUser, tracker: false });

function run(conversationId: string) {
  return router.request('/agents/weather/runs', {
    method: 'POST',
    headers: { ...ALICE, ...JSON_TYPE, ...SSE },
    body: JSON.stringify({ input: 'weather in Paris?', conversationId }),
  });
}

describe('conversation ids outside printable ASCII', () => {
  it('streams a run whose id holds a BOM or an emoji, with the id percent-encoded in its header', async () => {
    for (const id of ['\uFEFFvalue', 'chat-😀', 'café']) {
      const response = await run(id);
      expect(response.status, id).toBe(200);
      expect(decodeURIComponent(response.headers.get('x-sightline-conversation-id') ?? ''), id).toBe(id);
      expect(await response.text()).toContain('[DONE]');
    }
  });

  it('refuses ids the collector cannot track with a 400 naming the field', async () => {
    for (const id of ['x\uD800y', '\uDC00', '..', '.']) {
      const response = await run(id);
      expect(response.status, JSON.stringify(id)).toBe(400);
      expect((await response.json()).error.message, JSON.stringify(id)).toMatch(/conversationId/);
    }
  });
});
