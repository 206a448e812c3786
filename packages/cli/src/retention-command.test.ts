/**
 * `sightline retention` through the command line's entry point, on a SQLite file: show, set the
 * project's days, a customer's override (and back), run now (what is past the window goes), help, and
 * bad input named by its option.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId } from '@sightline/core';
import { openStore } from '@sightline/store';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from './main.ts';

const DAY = 86_400_000;

function exchange(conversationId: string, customerId: string, daysAgo: number) {
  const at = Date.now() - daysAgo * DAY;
  const body = { conversationId, customerId };
  return [
    {
      id: newId(),
      type: 'message',
      timestamp: new Date(at).toISOString(),
      body: { ...body, role: 'human', content: 'hi' },
    },
    {
      id: newId(),
      type: 'message',
      timestamp: new Date(at + 500).toISOString(),
      body: { ...body, role: 'agent', content: 'hello' },
    },
  ] as const;
}

describe('sightline retention', () => {
  let dir: string;
  let db: string;
  let projectId: string;

  /** Runs the command; returns its exit code and what it printed. */
  async function run(...args: string[]): Promise<{ code: number; out: string }> {
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    try {
      const code = await main([...args, '--db', db]);
      return { code, out: lines.join('\n') };
    } finally {
      log.mockRestore();
    }
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sightline-retention-'));
    db = join(dir, 'test.db');
    const store = await openStore({ database: db });
    projectId = (await store.createProject({ name: 'main' })).id;
    const { parseIngestRequest } = await import('@sightline/core');
    const { events } = parseIngestRequest({
      events: [
        ...exchange('old', 'cust-a', 40),
        ...exchange('vip-old', 'cust-vip', 40),
        ...exchange('new', 'cust-a', 2),
      ],
    });
    await store.append(projectId, events);
    await store.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('shows, sets, overrides and runs', async () => {
    expect(await run('retention')).toEqual({
      code: 0,
      out: [
        'Retention: forever (conversations never expire).',
        'Customers kept for other days: none.',
        'Last run: never.',
      ].join('\n'),
    });
    expect((await run('retention', 'set', '--days', '30')).out).toBe(
      'Conversations are kept 30 days after their last activity.',
    );
    expect((await run('retention', 'customer', 'cust-vip', '--days', '90')).out).toBe(
      "Customer cust-vip's conversations are kept 90 days after their last activity.",
    );
    expect((await run('retention', 'customer', 'cust-x', '--days', '5')).code).toBe(0);
    expect((await run('retention', 'customer', 'cust-x', '--days', 'none')).out).toBe(
      "Customer cust-x follows the project's retention.",
    );
    expect((await run('retention', 'run', '--project', projectId, '--batch-size', '1')).out).toBe(
      'Removed: 1 conversations, 2 messages, 0 steps, 0 feedback, 0 scores, 0 customers.',
    );
    const shown = (await run('retention', 'show')).out.split('\n');
    expect(shown.slice(0, 3)).toEqual([
      "Retention: 30 days after a conversation's last activity.",
      'Customers kept for other days:',
      '  cust-vip\t90 days',
    ]);
    expect(shown[3]).toMatch(/^Last run: \S+ \(caught up\); removed 1 conversations, 2 messages/);
    expect(shown[4]).toBe(
      'Removed by all runs: 1 conversations, 2 messages, 0 steps, 0 feedback, 0 scores, 0 customers.',
    );
    expect((await run('retention', 'set', '--days', 'forever')).out).toBe('Conversations are kept forever.');
    const store = await openStore({ database: db });
    try {
      expect((await store.listConversations(projectId, { limit: 10 })).data.map((c) => c.id).sort()).toEqual([
        'new',
        'vip-old',
      ]);
      expect(await store.getProjectSettings(projectId)).toEqual({});
    } finally {
      await store.close();
    }
  });

  it('names the option of bad input, and lists the subcommands in the help', async () => {
    await expect(run('retention', 'set', '--days', '0')).rejects.toThrow(
      'retention set: --days must be a whole number from 1 to 36500, or "forever" (got 0)',
    );
    await expect(run('retention', 'customer', 'c', '--days', 'forever')).rejects.toThrow(
      'retention customer: --days must be a whole number from 1 to 36500, or "none" (got forever)',
    );
    await expect(run('retention', 'customer', '--days', '3')).rejects.toThrow(
      'retention customer: give the customer id',
    );
    await expect(run('retention', 'run', '--batch-size', '500')).rejects.toThrow(
      'retention run: --batch-size must be a whole number from 1 to 128 (got 500)',
    );
    await expect(run('retention', 'show', '--project', 'nope')).rejects.toThrow(
      'retention: --project: no project "nope"',
    );
    await expect(run('retention', 'purge')).rejects.toThrow('retention: unknown subcommand "purge"');
    const help = await run('help');
    expect(help.out).toContain('retention customer <customerId> --days <n>|none [--project <id>]');
    expect(help.out).toContain('retention run [--project <id>] [--batch-size <n>]');
  });
});
