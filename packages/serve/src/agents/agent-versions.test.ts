/**
 * Issue 15 item 2, end to end: agent runs under `instrumentAgents(tracker, { version: 'v2' })` with the REAL
 * tracker reach the REAL collector stamped `v2:<fingerprint>`: the conversation, its messages and its
 * steps (read back from the collector's SQLite file and its query API), for a plain `run()` and a served
 * run, and `GET /v1/metrics/versions` lists the version with both runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { run } from '@openai/agents';
import { agentVersionOf, inConversation, instrumentAgents, uninstrumentAgents } from '@sightline/agents';
import type { ConversationDetail, VersionComparison } from '@sightline/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RealCollector, startRealCollector } from '../../test/real-collector.ts';
import { chatAgent, runJson } from '../../test/tracked-runs.ts';
import { type AgentsRouter, serveAgents } from './agent-routes.ts';

const directory = mkdtempSync(join(tmpdir(), 'sightline-versions-'));
const database = join(directory, 'collector.db');
const version = agentVersionOf(chatAgent(), 'v2');
let collector: RealCollector;
let agents: AgentsRouter;

beforeAll(async () => {
  collector = await startRealCollector({ database });
  instrumentAgents(collector.tracker, { version: 'v2' });
  agents = serveAgents({ agents: [chatAgent()], tracker: collector.tracker });
});
afterAll(async () => {
  await agents.close();
  await uninstrumentAgents();
  await collector.close();
  rmSync(directory, { recursive: true, force: true });
});

/** The conversation once the collector holds `messages` messages in it. */
async function settled(id: string, messages: number): Promise<ConversationDetail> {
  await collector.tracker.flush();
  await expect.poll(async () => (await collector.conversation(id))?.messages.length).toBe(messages);
  return (await collector.conversation(id)) as ConversationDetail;
}

/** The agent_version column of every stored row of a conversation's messages and steps. */
function storedVersions(conversationId: string): { messages: unknown[]; steps: unknown[] } {
  const db = new DatabaseSync(database, { readOnly: true });
  try {
    const column = (table: string) =>
      db
        .prepare(`SELECT agent_version FROM ${table} WHERE conversation_id = ?`)
        .all(conversationId)
        .map((row) => row.agent_version);
    return { messages: column('messages'), steps: column('steps') };
  } finally {
    db.close();
  }
}

function expectStamped(detail: ConversationDetail): void {
  expect(detail.conversation.agentVersion).toBe(version);
  expect(detail.steps.length).toBeGreaterThanOrEqual(3);
  expect(detail.steps.map((step) => step.agentVersion)).toEqual(detail.steps.map(() => version));
  const stored = storedVersions(detail.conversation.id);
  expect(stored.messages).toEqual([version, version]);
  expect(stored.steps).toEqual(detail.steps.map(() => version));
}

describe('agent versions reach the collector', () => {
  it('stamps a plain run and a served run, and the comparison lists the version with both', async () => {
    expect(version).toMatch(/^v2:[0-9a-f]{12}$/);
    await inConversation({ conversationId: 'plain-run' }, () => run(chatAgent(), 'hello there'));
    expectStamped(await settled('plain-run', 2));

    const served = await runJson(agents, undefined, { input: 'hi, served', conversationId: 'served-run' });
    expect(served.outcome.status).toBe('completed');
    expectStamped(await settled('served-run', 2));

    const to = new Date(Date.now() + 3_600_000).toISOString();
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const response = await collector.read(`/v1/metrics/versions?from=${from}&to=${to}`);
    expect(response.status).toBe(200);
    const comparison = (await response.json()) as VersionComparison;
    expect(comparison.versions.map((metrics) => metrics.agentVersion)).toEqual([version]);
    expect(comparison.versions[0]).toMatchObject({ agentVersion: version, runs: 2, runErrors: 0 });
    expect(comparison.versions[0]?.llmCalls).toBe(2);
  });
});
