import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeSessionDatabases, SqliteSession, sqliteSessions } from '@sightline/agents';
import { afterAll, describe, expect, it } from 'vitest';
import { bearerUser, calculatorAgent } from '../../test/fixtures.ts';
import { serveAgents } from '../agents/agent-routes.ts';
import type { RunOutcome } from '../agents/live-run.ts';

const dir = mkdtempSync(join(tmpdir(), 'sl-serve-commits-'));
afterAll(() => {
  closeSessionDatabases();
  rmSync(dir, { recursive: true, force: true });
});

// The CommitGroup itself is tested in @sightline/agents (sessions/commit-group.test.ts).
describe('group commit of served turns (sqliteSessions)', () => {
  it('stores every turn of concurrent runs, several per transaction, before answering', async () => {
    const file = join(dir, 'concurrent.db');
    const sessions = sqliteSessions(file);
    const app = serveAgents({ agents: [calculatorAgent()], sessions, getUser: bearerUser, tracker: false });
    const answers = await Promise.all(
      Array.from({ length: 20 }, async (_, index) => {
        const response = await app.request('/agents/calculator/runs', {
          method: 'POST',
          headers: { authorization: 'Bearer alice-token', 'content-type': 'application/json' },
          body: JSON.stringify({ input: `what is ${index} + 1` }),
        });
        expect(response.status).toBe(200);
        const outcome = (await response.json()) as RunOutcome;
        // Answered: the turn is in the file already (read through another session object).
        const items = await new SqliteSession(outcome.conversationId, file, { userId: 'alice' }).getItems();
        return { outcome, items, index };
      }),
    );
    for (const { outcome, items, index } of answers) {
      expect(outcome.output).toBe(`[demo model] The answer is ${index + 1}.`);
      expect(items).toHaveLength(4);
      expect(items[0]).toMatchObject({ role: 'user', content: `what is ${index} + 1` });
    }
    expect(sessions.commitStats.turns).toBe(20);
    expect(sessions.commitStats.transactions).toBeLessThan(20);
    await app.close();
  });
});
