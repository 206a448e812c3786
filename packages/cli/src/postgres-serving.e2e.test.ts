/**
 * `sightline start` on PostgreSQL keeps served conversations and paused runs in the collector's database,
 * not in a local sessions.db: two real `sightline start` processes on one database share them (a
 * conversation continued on the other node has its whole history; an approval asked on one is answered on
 * the other), each on a session pool of its own that shutting down ends.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgresSessions } from '@sightline/agents';
import { createTestPostgresStore, testDatabaseUrl } from '@sightline/store/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sessionsApplicationName } from './demo-serving.ts';
import { type RunningCli, startCli } from './spawn-cli.ts';
import { start } from './start.ts';

let dir: string;
let url: string;
let dropSchema: () => Promise<void>;
const nodes: RunningCli[] = [];
let key: string;

beforeAll(async () => {
  const pg = await createTestPostgresStore();
  await pg.store.close();
  dropSchema = pg.drop;
  const parsed = new URL(testDatabaseUrl());
  parsed.searchParams.set('options', `-c search_path=${pg.schema}`);
  url = parsed.toString();
  dir = mkdtempSync(join(tmpdir(), 'sightline-pg-serving-'));
  const env = { DATABASE_URL: url, OPENAI_API_KEY: '' };
  // One after the other: the second node finds the project and keys the first one created.
  nodes.push(await startCli({ cwd: dir, env }));
  nodes.push(await startCli({ cwd: dir, env }));
  key = JSON.parse(readFileSync(join(dir, '.sightline', 'credentials.json'), 'utf8')).chatKey;
}, 60_000);

afterAll(async () => {
  await Promise.all(nodes.map((node) => node.stop()));
  await dropSchema?.();
  rmSync(dir, { recursive: true, force: true });
});

async function post(node: RunningCli | undefined, path: string, body: unknown) {
  const response = await fetch(`${node?.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, run: await response.json() };
}

/** Open connections of a process's served-session pool. */
async function sessionConnections(pid: number | undefined): Promise<number> {
  const client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    const result = await client.query<{ count: string }>(
      'SELECT count(*) AS count FROM pg_stat_activity WHERE application_name = $1',
      [sessionsApplicationName(pid)],
    );
    return Number(result.rows[0]?.count);
  } finally {
    await client.end();
  }
}

async function history(conversationId: string): Promise<string[]> {
  const sessions = postgresSessions(url);
  try {
    const items = await sessions.session(conversationId, 'local-user').getItems();
    return items.map((item) => ('role' in item ? `${item.role}` : String(item.type)));
  } finally {
    await sessions.close();
  }
}

describe('sightline start on PostgreSQL serves agents from any node', () => {
  it('continues a conversation on the other node with its whole history, in PostgreSQL', async () => {
    const [a, b] = nodes;
    const first = await post(a, '/agents/calculator/runs', { input: 'what is 2 + 3' });
    expect(first.status).toBe(200);
    const { conversationId } = first.run;
    const second = await post(b, '/agents/calculator/runs', { input: 'what is 4 + 4', conversationId });
    expect(second.status).toBe(200);
    expect(second.run.output).toContain('8');
    const turn = ['user', 'function_call', 'function_call_result', 'assistant'];
    expect(await history(conversationId)).toEqual([...turn, ...turn]);
    expect(existsSync(join(dir, '.sightline', 'sessions.db'))).toBe(false);
  });

  it('answers on one node a tool approval asked on the other', async () => {
    const [a, b] = nodes;
    const paused = await post(a, '/agents/notes/runs', { input: 'delete note 1' });
    expect(paused.run.status).toBe('awaiting_approval');
    const approvals = [{ approvalId: paused.run.approvals[0].approvalId, approved: true }];
    const answered = await post(b, `/agents/notes/runs/${paused.run.runId}/approvals`, { approvals });
    expect(answered.status).toBe(200);
    expect(answered.run.status).toBe('completed');
    expect(await history(paused.run.conversationId)).toEqual([
      'user',
      'function_call',
      'function_call_result',
      'assistant',
    ]);
    const again = await post(a, `/agents/notes/runs/${paused.run.runId}/approvals`, { approvals });
    expect(again.status).toBe(409);
  });

  it('erases a conversation paused on one node, from the other: its paused run and runs go (PostgreSQL)', async () => {
    const [a, b] = nodes;
    const paused = await post(a, '/agents/notes/runs', { input: 'delete note 2' });
    expect(paused.run.status).toBe('awaiting_approval');
    const { adminKey } = JSON.parse(readFileSync(join(dir, '.sightline', 'credentials.json'), 'utf8'));
    const response = await fetch(
      `${b?.url}/v1/conversations/${encodeURIComponent(paused.run.conversationId)}`,
      {
        method: 'DELETE',
        headers: { authorization: `Bearer ${adminKey}` },
      },
    );
    expect(response.status).toBe(200);
    expect((await response.json()).elsewhere).toMatchObject({ pausedRuns: 1, runs: 1 });
    const approvals = [{ approvalId: paused.run.approvals[0].approvalId, approved: true }];
    const answered = await post(a, `/agents/notes/runs/${paused.run.runId}/approvals`, { approvals });
    expect(answered.status).not.toBe(200);
    expect(await history(paused.run.conversationId)).toEqual([]);
  });

  it("keeps each node's sessions on its own pool in PostgreSQL, which close() ends", async () => {
    for (const node of nodes) expect(await sessionConnections(node.child.pid)).toBeGreaterThan(0);
    // In process, to see the pool end on close() (a real process exits, which would close it anyway).
    const started = await start({
      port: 0,
      host: '127.0.0.1',
      database: url,
      home: join(dir, '.sightline'),
      quiet: true,
    });
    const response = await fetch(`${started.server.url}/agents/calculator/runs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ input: 'what is 1 + 1' }),
    });
    expect(response.status).toBe(200);
    expect(await sessionConnections(process.pid)).toBeGreaterThan(0);
    await started.close();
    await vi.waitFor(async () => expect(await sessionConnections(process.pid)).toBe(0));
  });
});
