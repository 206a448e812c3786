/**
 * Seed 002 seen in Sightline: the notes app's chat turns, traced by `instrumentAgents(tracker)` with the
 * real tracker into a fake collector, become the user's conversation with no tracking code in the app.
 */
import { instrumentAgents, openSessionDatabase, uninstrumentAgents } from '@sightline/agents';
import { ancestry, FakeCollector } from '@sightline/agents/testing';
import { createTracker, type Tracker } from '@sightline/tracker';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chat } from './chat.ts';
import { NoteService } from './note-service.ts';
import { createNotesAgent } from './notes-agent.ts';

const collector = new FakeCollector();
let tracker: Tracker;
beforeAll(async () => {
  tracker = createTracker({ endpoint: await collector.start(), apiKey: 'sl_ingest_x', exitHooks: false });
  instrumentAgents(tracker);
});
afterAll(async () => {
  await uninstrumentAgents();
  await tracker.shutdown();
  await collector.stop();
});

it("records each user's chat turns as their conversation: messages, llm and tool steps, guardrail refusals", async () => {
  const service = new NoteService();
  const options = {
    service,
    agent: createNotesAgent({ service }),
    database: openSessionDatabase(':memory:'),
  };
  const alice = { userId: 'alice', userName: 'Alice' };
  await chat(options, { user: alice, message: 'Create a note titled Books: Dune' });
  await chat(options, { user: alice, message: 'delete note 9' });
  await expect(chat(options, { user: alice, message: 'my password is swordfish' })).rejects.toThrow(
    /guardrail/,
  );
  await tracker.flush();

  expect(collector.conversationIds()).toEqual(['alice']);
  const { messages, steps, customerId } = collector.conversation('alice');
  expect(customerId).toBe('alice');
  expect(messages.map((m) => `${m.role}: ${m.content}`)).toEqual([
    'human: Create a note titled Books: Dune',
    "agent: [demo model] Created note 'Books' with ID 1",
    'human: delete note 9',
    'agent: [demo model] Could not delete the note: You have no note with ID 9.',
  ]);
  const tools = steps.filter((step) => step.type === 'tool');
  expect(tools.map((step) => step.name)).toEqual(['create_note', 'delete_note']);
  expect(tools[1]?.error?.message).toContain('You have no note with ID 9.');
  expect(steps.filter((step) => step.type === 'llm')).toHaveLength(4);
  for (const step of steps.filter((s) => s.type === 'llm' || s.type === 'tool')) {
    expect(ancestry(steps, step).slice(1)).toEqual(['turn', 'agent', 'run']);
  }
  const guardrails = steps.filter((step) => step.type === 'guardrail');
  expect(guardrails.map((step) => step.output)).toEqual([
    { triggered: false },
    { triggered: false },
    { triggered: true },
  ]);
  // A request refused before any model call has no model input to take the human message from; the
  // refusal shows as the run step's error.
  const runs = steps.filter((step) => step.type === 'run');
  expect(runs.map((step) => step.error === undefined)).toEqual([true, true, false]);
  expect(runs[2]?.error?.message).toMatch(/guardrail/i);
});
