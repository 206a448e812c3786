import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId } from '@sightline/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, startCli } from './spawn-cli.ts';

describe('sightline command (real process)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sightline-cli-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts on a fresh directory, creates the default project and writes working local credentials', async () => {
    const cli = await startCli({ cwd: dir });
    let first: Record<string, string>;
    try {
      expect(cli.output()).toMatch(/Ingest key: sl_ingest_/);
      const credentials = JSON.parse(readFileSync(join(dir, '.sightline', 'credentials.json'), 'utf8'));
      first = credentials;
      expect(credentials.endpoint).toBe(cli.url);
      // One key per scope, each of its own scope.
      for (const scope of ['ingest', 'read', 'chat', 'admin']) {
        const key = credentials[`${scope}Key`];
        expect(key).toMatch(new RegExp(`^sl_${scope}_`));
        const project = await (
          await fetch(`${cli.url}/v1/project`, { headers: { authorization: `Bearer ${key}` } })
        ).json();
        expect(project).toMatchObject({ id: credentials.projectId, scope });
      }
      const ready = await fetch(`${cli.url}/readyz`);
      expect(ready.status).toBe(200);
      const project = await (
        await fetch(`${cli.url}/v1/project`, { headers: { authorization: `Bearer ${credentials.readKey}` } })
      ).json();
      expect(project.id).toBe(credentials.projectId);
    } finally {
      expect(await cli.stop()).toBe(0);
    }
    // A restart keeps the keys and prints the links again: the dashboard and chat links carry the admin
    // key (the local owner reads, chats and manages), the read-only link the read key, the curl a chat key.
    const again = await startCli({ cwd: dir, env: { SIGHTLINE_LOG_LEVEL: 'info' } });
    const credentials = JSON.parse(readFileSync(join(dir, '.sightline', 'credentials.json'), 'utf8'));
    expect({ ...credentials, endpoint: '' }).toEqual({ ...first, endpoint: '' });
    const banner = again.output();
    expect(banner).toContain(`Ingest key: ${credentials.ingestKey}`);
    expect(banner).toContain(`Dashboard:  ${again.url}/#key=${credentials.adminKey} (admin key`);
    expect(banner).toContain(`Read-only:  ${again.url}/#key=${credentials.readKey} (read key`);
    expect(banner).toContain(`Chat:       ${again.url}/#key=${credentials.adminKey}&route=%2Fchat`);
    const curl = /Agents API: curl -H "authorization: Bearer (\S+)" (\S+) /.exec(banner);
    expect(curl?.[1]).toBe(credentials.chatKey);
    expect((await fetch(curl?.[2] ?? '', { headers: { authorization: `Bearer ${curl?.[1]}` } })).status).toBe(
      200,
    );
    // The read-only link's key may not run the agents.
    expect(
      (await fetch(curl?.[2] ?? '', { headers: { authorization: `Bearer ${credentials.readKey}` } })).status,
    ).toBe(403);
    // Not a TTY: JSON log lines, one per request (a terminal gets pretty lines without them).
    await fetch(`${again.url}/v1/project`, { headers: { authorization: `Bearer ${credentials.readKey}` } });
    await expect.poll(() => again.output()).toMatch(/\{"level":30,.*"path":"\/v1\/project"/);
    await again.stop();
  });

  it('keeps the keys of a credentials file written before chat and admin keys, adding those two', async () => {
    const cli = await startCli({ cwd: dir });
    await cli.stop();
    const path = join(dir, '.sightline', 'credentials.json');
    const { chatKey: _chat, adminKey: _admin, ...old } = JSON.parse(readFileSync(path, 'utf8'));
    writeFileSync(path, JSON.stringify(old));
    const again = await startCli({ cwd: dir });
    try {
      const credentials = JSON.parse(readFileSync(path, 'utf8'));
      expect(credentials).toMatchObject({ ingestKey: old.ingestKey, readKey: old.readKey });
      expect(credentials.chatKey).toMatch(/^sl_chat_/);
      expect(credentials.adminKey).toMatch(/^sl_admin_/);
      expect(again.output()).toContain(`Dashboard:  ${again.url}/#key=${credentials.adminKey}`);
    } finally {
      await again.stop();
    }
  });

  it('creates keys and applies migrations from the command line', async () => {
    const migrate = await runCli({ cwd: dir, args: ['migrate'] });
    expect(migrate.code).toBe(0);
    const project = await runCli({ cwd: dir, args: ['projects', 'create', '--name', 'Acme'] });
    const projectId = project.stdout.split('\t')[0];
    const key = await runCli({
      cwd: dir,
      args: ['keys', 'create', '--project', projectId ?? '', '--scope', 'read'],
    });
    expect(key.stdout.trim()).toMatch(/^sl_read_/);
    for (const scope of ['chat', 'admin']) {
      const made = await runCli({
        cwd: dir,
        args: ['keys', 'create', '--project', projectId ?? '', '--scope', scope],
      });
      expect(made.stdout.trim()).toMatch(new RegExp(`^sl_${scope}_`));
      expect(made.stderr).toContain(`created ${scope} key`);
    }
    const bad = await runCli({ cwd: dir, args: ['keys', 'create', '--scope', 'owner'] });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('keys create: --scope must be one of "ingest", "read", "chat" or "admin"');
    const help = await runCli({ cwd: dir, args: ['help'] });
    expect(help.stdout).toContain('keys create --project <id> --scope ingest|read|chat|admin');
  }, 90_000); // seven processes, one after the other (~2 s each, more on a busy machine)

  it('prices LLM calls with a user price table (--prices) and refuses a malformed one', async () => {
    writeFileSync(
      join(dir, 'prices.json'),
      JSON.stringify([{ model: 'house-model', inputPerMillion: 2, outputPerMillion: 4 }]),
    );
    const cli = await startCli({ cwd: dir, args: ['--prices', 'prices.json'] });
    try {
      const { ingestKey, readKey } = JSON.parse(
        readFileSync(join(dir, '.sightline', 'credentials.json'), 'utf8'),
      );
      const at = new Date().toISOString();
      const body = {
        conversationId: 'priced',
        stepId: 's1',
        type: 'llm',
        name: 'call',
        startedAt: at,
        endedAt: at,
        usage: { model: 'house-model', inputTokens: 1_000_000, outputTokens: 500_000 },
      };
      const res = await fetch(`${cli.url}/v1/ingest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ingestKey}` },
        body: JSON.stringify({ events: [{ id: newId(), type: 'step', timestamp: at, body }] }),
      });
      expect(res.status).toBe(200);
      const detail = await (
        await fetch(`${cli.url}/v1/conversations/priced`, { headers: { authorization: `Bearer ${readKey}` } })
      ).json();
      expect(detail.conversation.costUsd).toBeCloseTo(4);
    } finally {
      await cli.stop();
    }
    writeFileSync(
      join(dir, 'bad.json'),
      JSON.stringify([{ model: 'x', inputPerMillion: -1, outputPerMillion: 1 }]),
    );
    const bad = await runCli({ cwd: dir, args: ['start', '--port', '0', '--prices', 'bad.json'] });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('0.inputPerMillion');
  });
});
