import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId } from '@sightline/core';
import { createTestPostgresStore, testDatabaseUrl } from '@sightline/store/testing';
import { describe, expect, it } from 'vitest';
import { type RunningCli, startCli } from './spawn-cli.ts';

interface Acked {
  conversationId: string;
  ids: string[];
}

async function sendUntilKilled(cli: RunningCli, ingestKey: string, acked: Acked[]): Promise<void> {
  let alive = true;
  const sender = async () => {
    while (alive) {
      const conversationId = `dur-${newId()}`;
      const events = Array.from({ length: 20 }, (_, i) => ({
        id: newId(),
        type: 'message',
        timestamp: new Date().toISOString(),
        body: { conversationId, role: i % 2 ? 'agent' : 'human', content: `message ${i}` },
      }));
      try {
        const res = await fetch(`${cli.url}/v1/ingest`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${ingestKey}` },
          body: JSON.stringify({ events }),
        });
        if (res.status === 200) acked.push({ conversationId, ids: events.map((e) => e.id) });
        else await res.body?.cancel();
      } catch {
        alive = false;
      }
    }
  };
  const senders = Array.from({ length: 8 }, sender);
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  cli.child.kill('SIGKILL');
  alive = false;
  await Promise.all(senders);
}

async function checkAllPresent(url: string, readKey: string, acked: Acked[]): Promise<number> {
  let missing = 0;
  for (const batch of acked) {
    const res = await fetch(`${url}/v1/conversations/${batch.conversationId}`, {
      headers: { authorization: `Bearer ${readKey}` },
    });
    const stored =
      res.status === 200
        ? new Set(((await res.json()).messages as Array<{ id: string }>).map((m) => m.id))
        : new Set();
    missing += batch.ids.filter((id) => !stored.has(id)).length;
  }
  return missing;
}

describe('durability: a server killed with SIGKILL keeps every event it acknowledged', () => {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    it(`on ${dialect}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sightline-durability-'));
      let env: Record<string, string> = {};
      let dropSchema = async () => undefined as unknown;
      if (dialect === 'postgres') {
        const pg = await createTestPostgresStore();
        await pg.store.close();
        env = {
          DATABASE_URL: `${testDatabaseUrl()}?options=${encodeURIComponent(`-c search_path=${pg.schema}`)}`,
        };
        dropSchema = pg.drop;
      }
      try {
        const first = await startCli({ cwd: dir, env });
        const credentials = JSON.parse(readFileSync(join(dir, '.sightline', 'credentials.json'), 'utf8'));
        const acked: Acked[] = [];
        await sendUntilKilled(first, credentials.ingestKey, acked);
        await first.stop();
        expect(acked.length).toBeGreaterThan(10);
        const second = await startCli({ cwd: dir, env });
        try {
          expect(await checkAllPresent(second.url, credentials.readKey, acked)).toBe(0);
        } finally {
          await second.stop();
        }
      } finally {
        await dropSchema();
        rmSync(dir, { recursive: true, force: true });
      }
    }, 60_000);
  }
});
