/**
 * The acceptance check at the tracker level: a notes-agent run on the demo model, instrumented with the
 * REAL @sightline/tracker sending to a fake collector, arrives as one conversation with the human and
 * agent messages, one llm step per model call with tokens, one tool step per tool call, nested under
 * the agent and turn steps. No `track*` call anywhere in the run.
 */
import { Agent, run, tool } from '@openai/agents';
import { createTracker, type Tracker } from '@sightline/tracker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { demoModel } from '../demo/demo-model.ts';
import { openSessionDatabase, SqliteSession } from '../sessions/sqlite-session.ts';
import { ancestry, FakeCollector } from '../testing/fake-collector.ts';
import { instrumentAgents, uninstrumentAgents } from './instrument.ts';

const collector = new FakeCollector();
let tracker: Tracker;

beforeAll(async () => {
  const endpoint = await collector.start();
  tracker = createTracker({ endpoint, apiKey: 'sl_ingest_test', flushIntervalMs: 50, exitHooks: false });
  instrumentAgents(tracker);
});
afterAll(async () => {
  await uninstrumentAgents();
  await tracker.shutdown();
  await collector.stop();
});

function notesAgent(): Agent {
  const notes: string[] = [];
  return new Agent({
    name: 'NotesAgent',
    instructions: 'Help users manage notes.',
    model: demoModel(),
    tools: [
      tool({
        name: 'create_note',
        description: 'Create a new note.',
        parameters: z.object({ title: z.string(), content: z.string() }),
        execute: async ({ title }) => `Created note '${title}' with ID ${notes.push(title)}`,
      }),
      tool({
        name: 'list_notes',
        description: 'List all notes.',
        parameters: z.object({}),
        execute: async () => notes.map((title, index) => `- [${index + 1}] ${title}`).join('\n'),
      }),
    ],
  });
}

describe('notes agent -> tracing processor -> real tracker -> collector', () => {
  it('arrives as one conversation with messages and a nested step tree, with no tracking code', async () => {
    const agent = notesAgent();
    const session = new SqliteSession('web-chat-123', openSessionDatabase(':memory:'), {
      userId: 'customer-9',
    });
    const first = await run(agent, 'Create a note titled Groceries: milk and eggs', { session });
    const second = await run(agent, 'list my notes', { session });
    const summary = await tracker.flush();

    expect(summary).toMatchObject({ failed: 0 });
    expect(collector.conversationIds()).toEqual(['web-chat-123']);
    const conversation = collector.conversation('web-chat-123');
    expect(conversation.customerId).toBe('customer-9');
    expect(conversation.messages.map((m) => [m.role, m.content])).toEqual([
      ['human', 'Create a note titled Groceries: milk and eggs'],
      ['agent', first.finalOutput],
      ['human', 'list my notes'],
      ['agent', second.finalOutput],
    ]);

    const { steps } = conversation;
    const llm = steps.filter((step) => step.type === 'llm');
    expect(llm).toHaveLength(4); // two model calls per run: the tool call, then the answer
    for (const step of llm) {
      expect(step.usage).toMatchObject({ model: 'sightline-demo', provider: 'sightline' });
      expect(step.usage?.inputTokens).toBeGreaterThan(0);
      expect(step.usage?.outputTokens).toBeGreaterThan(0);
      expect(step.endedAt).toBeDefined();
      expect(ancestry(steps, step)).toEqual(['llm', 'turn', 'agent', 'run']);
    }
    const tools = steps.filter((step) => step.type === 'tool');
    expect(tools.map((step) => [step.name, step.input, step.output])).toEqual([
      ['create_note', { title: 'Groceries', content: 'milk and eggs' }, "Created note 'Groceries' with ID 1"],
      ['list_notes', {}, '- [1] Groceries'],
    ]);
    for (const step of tools) {
      expect(step.durationMs).toBeGreaterThanOrEqual(0);
      expect(ancestry(steps, step)).toEqual(['tool', 'turn', 'agent', 'run']);
    }
    expect(steps.filter((step) => step.type === 'run').map((step) => step.parentId)).toEqual([
      undefined,
      undefined,
    ]);
    expect(steps.filter((step) => step.type === 'agent').map((step) => step.name)).toEqual([
      'NotesAgent',
      'NotesAgent',
    ]);
    expect(steps.filter((step) => step.type === 'turn')).toHaveLength(4);
    expect(collector.authorizations.every((header) => header === 'Bearer sl_ingest_test')).toBe(true);
  });
});
