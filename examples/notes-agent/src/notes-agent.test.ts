import { RunContext } from '@openai/agents';
import { GuardrailRejectedError, openSessionDatabase, SqliteSession } from '@sightline/agents';
import { describe, expect, it } from 'vitest';
import { type ChatOptions, chat, chatStream } from './chat.ts';
import { NoteService } from './note-service.ts';
import { createNotesAgent } from './notes-agent.ts';

const alice = { userId: 'alice', userName: 'Alice' };
const bob = { userId: 'bob', userName: 'Bob' };

function setup(): ChatOptions & { service: NoteService } {
  const service = new NoteService();
  return { service, agent: createNotesAgent({ service }), database: openSessionDatabase(':memory:') };
}

describe('the notes agent (seed 002) on the demo model', () => {
  it('creates, lists and deletes notes for the user in the run context, remembering the conversation', async () => {
    const app = setup();
    const created = await chat(app, {
      user: alice,
      message: 'Create a note titled Groceries: milk and eggs',
    });
    expect(created.response).toBe("[demo model] Created note 'Groceries' with ID 1");
    expect(app.service.list('alice')).toMatchObject([
      { id: 1, title: 'Groceries', content: 'milk and eggs' },
    ]);

    expect((await chat(app, { user: alice, message: 'list my notes' })).response).toBe(
      '[demo model] - [1] Groceries',
    );
    expect((await chat(app, { user: bob, message: 'list my notes' })).response).toBe(
      '[demo model] No notes found.',
    );
    expect((await chat(app, { user: bob, message: 'delete note 1' })).response).toBe(
      '[demo model] Could not delete the note: You have no note with ID 1.',
    );
    expect((await chat(app, { user: alice, message: 'delete note 1' })).response).toBe(
      '[demo model] Deleted note 1',
    );
    expect(app.service.list('alice')).toEqual([]);

    const history = await new SqliteSession('alice', app.database, { userId: 'alice' }).getItems();
    expect(history.filter((item) => 'role' in item && item.role === 'user')).toHaveLength(3);
    expect(history).toHaveLength(12);
  });

  it('writes the user into the instructions as a function of the context', async () => {
    const agent = createNotesAgent({ service: new NoteService() });
    expect(await agent.getSystemPrompt(new RunContext(alice))).toMatch(
      /^You are a helpful notes assistant for Alice\./,
    );
    expect(await agent.getSystemPrompt(new RunContext(bob))).toMatch(/for Bob\./);
  });

  it('refuses secrets with a typed 400 error, creating nothing and storing nothing', async () => {
    const app = setup();
    const attempt = chat(app, { user: alice, message: 'Create a note: my password is hunter2' });
    await expect(attempt).rejects.toBeInstanceOf(GuardrailRejectedError);
    const error = (await attempt.catch((e: unknown) => e)) as GuardrailRejectedError;
    expect(error.code).toBe('invalid_request');
    expect(error.guardrail).toBe('no_secrets');
    expect(error.toJSON().error.issues).toEqual([
      { path: 'input', message: 'the message contains a password; notes must not store secrets' },
    ]);
    expect(app.service.list('alice')).toEqual([]);
    expect(await new SqliteSession('alice', app.database, { userId: 'alice' }).getItems()).toEqual([]);
  });

  it('streams the answer as text deltas, then stores the finished turn', async () => {
    const app = setup();
    const events = [];
    for await (const event of chatStream(app, { user: alice, message: 'what is 6 times 7?' }))
      events.push(event);
    const deltas = events.flatMap((event) => ('delta' in event ? [event.delta] : []));
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('[demo model] 6 * 7 = 42');
    expect(events.at(-1)).toEqual({ done: true, final: '[demo model] 6 * 7 = 42', sessionId: 'alice' });
    expect(await new SqliteSession('alice', app.database, { userId: 'alice' }).getItems()).toHaveLength(2);
  });
});
