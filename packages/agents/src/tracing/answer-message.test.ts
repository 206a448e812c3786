/**
 * `withAnswerMessageId(id, fn)`: the answer of the run started inside is tracked with that id (a served
 * chat points its thumbs at it), once: a second run in the same scope, or one outside, gets the
 * processor's own id. Deferred mapping (after the run) and immediate mapping alike.
 */
import { Agent, run } from '@openai/agents';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoModel } from '../demo/demo-model.ts';
import { createRecordingTracker, type RecordingTracker } from '../testing/recording-tracker.ts';
import { withAnswerMessageId } from './answer-message.ts';
import { inConversation } from './conversation-scope.ts';
import { instrumentAgents, uninstrumentAgents } from './instrument.ts';

let tracker: RecordingTracker;
const agent = () => new Agent({ name: 'Calc', instructions: 'Compute.', model: demoModel() });
const agentMessages = (conversationId: string) =>
  tracker.messages.filter((m) => m.conversationId === conversationId && m.role === 'agent');

describe.each([{ deferred: true }, { deferred: false }])(
  'answer message id (deferred: $deferred)',
  ({ deferred }) => {
    beforeEach(() => {
      tracker = createRecordingTracker();
      instrumentAgents(tracker, { deferred });
    });
    afterEach(async () => {
      await uninstrumentAgents();
    });

    it("tracks the run's answer under the id chosen up front, and only that run's", async () => {
      const first = await inConversation({ conversationId: 'c-1' }, () =>
        withAnswerMessageId('answer-1', async () => {
          const answered = await run(agent(), 'what is 2 + 3?');
          await run(agent(), 'and 4 + 4?');
          return answered;
        }),
      );
      await inConversation({ conversationId: 'c-2' }, () => run(agent(), 'what is 1 + 1?'));
      await tracker.flush?.();
      const answers = agentMessages('c-1');
      expect(answers).toHaveLength(2);
      expect(answers[0]).toMatchObject({ id: 'answer-1', content: first.finalOutput });
      expect(answers[1]?.id).not.toBe('answer-1');
      const other = agentMessages('c-2');
      expect(other).toHaveLength(1);
      expect(other[0]?.id).not.toBe('answer-1');
      const human = tracker.messages.filter((m) => m.role === 'human');
      expect(human.map((m) => m.id)).not.toContain('answer-1');
    });
  },
);
