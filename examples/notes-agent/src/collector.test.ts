/**
 * Issue 4's acceptance, checked through the real collector's query API: a run of the notes agent with
 * the demo model, traced by `instrumentAgents(tracker)`, is one conversation with the human and agent
 * messages, one `llm` step per model call with tokens, one `tool` step per tool call, nested under the
 * agent and turn steps.
 */
import { instrumentAgents, openSessionDatabase, uninstrumentAgents } from '@sightline/agents';
import { createLogger, createSightlineApp, listen, type RunningServer } from '@sightline/server';
import { createStore, type Store } from '@sightline/store';
import { createTracker, type Tracker } from '@sightline/tracker';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chat } from './chat.ts';
import { NoteService } from './note-service.ts';
import { createNotesAgent } from './notes-agent.ts';

interface Step {
  id: string;
  parentId: string | null;
  type: string;
  name: string;
  usage: { model: string; inputTokens: number; outputTokens: number } | null;
}

let store: Store;
let server: RunningServer;
let tracker: Tracker;
let readKey: string;

beforeAll(async () => {
  store = createStore({ database: ':memory:' });
  await store.migrate();
  const project = await store.createProject({ name: 'notes' });
  const ingest = await store.createApiKey({ projectId: project.id, scope: 'ingest' });
  readKey = (await store.createApiKey({ projectId: project.id, scope: 'read' })).key;
  server = await listen({
    collector: createSightlineApp({ store, logger: createLogger({ level: 'silent' }) }),
    port: 0,
  });
  tracker = createTracker({ endpoint: server.url, apiKey: ingest.key, exitHooks: false });
  instrumentAgents(tracker);
});

afterAll(async () => {
  await uninstrumentAgents();
  await tracker.shutdown();
  await server.close();
  await store.close();
});

it('shows a notes-agent run in the collector: messages, llm steps with tokens, tool steps under agent and turn', async () => {
  const service = new NoteService();
  const options = {
    service,
    agent: createNotesAgent({ service }),
    database: openSessionDatabase(':memory:'),
  };
  const user = { userId: 'bob', userName: 'Bob' };
  await chat(options, { user, message: 'Create a note titled Groceries: milk and eggs' });
  await chat(options, { user, message: 'list my notes' });
  await tracker.flush();

  const list = await (
    await fetch(`${server.url}/v1/conversations`, { headers: { authorization: `Bearer ${readKey}` } })
  ).json();
  expect(list.data.map((c: { id: string }) => c.id)).toEqual(['bob']);
  const detail = await (
    await fetch(`${server.url}/v1/conversations/bob`, { headers: { authorization: `Bearer ${readKey}` } })
  ).json();
  expect(detail.conversation.customerId).toBe('bob');
  expect(detail.messages.map((m: { role: string }) => m.role)).toEqual(['human', 'agent', 'human', 'agent']);
  expect(detail.messages[0].content).toBe('Create a note titled Groceries: milk and eggs');
  const steps = detail.steps as Step[];
  const byId = new Map(steps.map((s) => [s.id, s]));
  const ancestry = (step: Step) => {
    const types: string[] = [];
    for (
      let at = step.parentId ? byId.get(step.parentId) : undefined;
      at;
      at = at.parentId ? byId.get(at.parentId) : undefined
    )
      types.push(at.type);
    return types;
  };
  const llm = steps.filter((s) => s.type === 'llm');
  const tools = steps.filter((s) => s.type === 'tool');
  expect(tools.map((s) => s.name)).toEqual(['create_note', 'list_notes']);
  expect(llm).toHaveLength(4); // each turn: a call that picks the tool, a call that answers from its result
  for (const step of llm) expect(step.usage?.inputTokens ?? 0).toBeGreaterThan(0);
  for (const step of [...llm, ...tools]) expect(ancestry(step).slice(0, 2)).toEqual(['turn', 'agent']);
  expect(detail.conversation).toMatchObject({ llmCallCount: 4, toolCallCount: 2, messageCount: 4 });
});
