/**
 * A process killed (SIGKILL) in the middle of a turn, or in the middle of writing, leaves each session
 * history either before or after the change, never half of it. Real child processes, real databases.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSchema, type TestSchema } from '../../test/postgres-schema.ts';
import { userMessage } from '../testing/index.ts';
import type { DurableSession } from './durable-session.ts';
import { PostgresSession } from './postgres-session.ts';
import { SqliteSession } from './sqlite-session.ts';

const CHILD = join(import.meta.dirname, '../../test/fixtures/crash-child.ts');

/** Starts the child and resolves when a stdout line matches `until` (then SIGKILLs it) or it exits. */
function runChild(args: string[], until?: RegExp): Promise<{ lines: string[]; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [CHILD, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let stderr = '';
    let killed = false;
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        lines.push(line);
        if (until?.test(line) && !killed) {
          killed = true;
          child.kill('SIGKILL');
        }
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (killed && signal === 'SIGKILL') resolve({ lines, killed });
      else if (code === 0) resolve({ lines, killed });
      else reject(new Error(`child exited with ${code ?? signal}: ${stderr}`));
    });
  });
}

const seedTurn = [
  userMessage('what is 1 + 1000?'),
  {
    type: 'message' as const,
    role: 'assistant' as const,
    status: 'completed' as const,
    content: [{ type: 'output_text' as const, text: '1001' }],
  },
];

interface Backend {
  name: string;
  target: () => string;
  open: (sessionId: string) => DurableSession;
}

let dir: string;
let postgres: TestSchema;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sl-crash-'));
  postgres = await createTestSchema('crash');
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await postgres.drop();
});

const backends: Backend[] = [
  {
    name: 'SQLite',
    target: () => `sqlite:${join(dir, 'crash.db')}`,
    open: (id) => new SqliteSession(id, join(dir, 'crash.db')),
  },
  {
    name: 'PostgreSQL',
    target: () => `postgres:${postgres.url}`,
    open: (id) => new PostgresSession(id, postgres.pool),
  },
];

describe.each(backends)('crash safety on $name', (backend) => {
  it('SIGKILL mid-turn (after the tool call, before the answer) leaves the history as before the turn', async () => {
    const session = backend.open('killed-turn');
    await session.addItems(seedTurn);
    const { killed, lines } = await runChild([backend.target(), 'killed-turn', 'turn-blocked'], /IN_TOOL/);
    expect(killed).toBe(true);
    expect(lines).toContain('IN_TOOL');
    expect(await backend.open('killed-turn').getItems()).toEqual(seedTurn);
  });

  it('a turn that completes in the child is stored whole', async () => {
    const session = backend.open('complete-turn');
    await session.addItems(seedTurn);
    const { lines } = await runChild([backend.target(), 'complete-turn', 'turn-complete']);
    expect(lines).toContain('DONE');
    const items = await backend.open('complete-turn').getItems();
    expect(items.slice(0, 2)).toEqual(seedTurn);
    expect(items.slice(2).map((item) => item.type)).toEqual([
      'message',
      'function_call',
      'function_call_result',
      'message',
    ]);
    expect(items[2]).toEqual(userMessage('what is 2 + 1000?'));
    expect(JSON.stringify(items[5])).toContain('The answer is 1002.');
  });

  it('SIGKILL while batches are being written leaves only whole batches, in order', async () => {
    const { lines } = await runChild([backend.target(), 'batches', 'batches'], /BATCH 4/);
    const items = await backend.open('batches').getItems();
    const acknowledged = lines.filter((line) => line.startsWith('BATCH')).length;
    expect(items.length % 200).toBe(0);
    expect(items.length).toBeGreaterThanOrEqual(acknowledged * 200);
    items.forEach((item, index) => {
      expect((item as { content: string }).content).toBe(String(index));
    });
  });

  it('three processes appending to one session keep every batch whole and in order', async () => {
    const writers = ['a:', 'b:', 'c:'];
    await Promise.all(
      writers.map((writer) => runChild([backend.target(), 'shared', 'batches', writer], /BATCH 3/)),
    );
    const texts = (await backend.open('shared').getItems()).map(
      (item) => (item as { content: string }).content,
    );
    expect(texts.length % 200).toBe(0);
    for (let at = 0; at < texts.length; at += 200) {
      const [writer, first] = (texts[at] ?? '').split(':');
      const batch = texts.slice(at, at + 200);
      expect(batch).toEqual(batch.map((_, i) => `${writer}:${Number(first) + i}`));
    }
    for (const writer of writers) {
      const own = texts.filter((text) => text.startsWith(writer)).map((text) => Number(text.slice(2)));
      expect(own).toEqual(own.map((_, i) => i));
      expect(own.length).toBeGreaterThanOrEqual(800);
    }
  });
});
