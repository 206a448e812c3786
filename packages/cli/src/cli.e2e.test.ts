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
    try {
      expect(cli.output()).toMatch(/Ingest key: sl_ingest_/);
      const credentials = JSON.parse(readFileSync(join(dir, '.sightline', 'credentials.json'), 'utf8'));
      expect(credentials.endpoint).toBe(cli.url);
      const ready = await fetch(`${cli.url}/readyz`);
      expect(ready.status).toBe(200);
      const project = await (
        await fetch(`${cli.url}/v1/project`, { headers: { authorization: `Bearer ${credentials.readKey}` } })
      ).json();
      expect(project.id).toBe(credentials.projectId);
    } finally {
      expect(await cli.stop()).toBe(0);
    }
    // A restart prints the dashboard link and the keys again, and links that work in a browser.
    const again = await startCli({ cwd: dir, env: { SIGHTLINE_LOG_LEVEL: 'info' } });
    const credentials = JSON.parse(readFileSync(join(dir, '.sightline', 'credentials.json'), 'utf8'));
    const banner = again.output();
    expect(banner).toContain(`Ingest key: ${credentials.ingestKey}`);
    expect(banner).toContain(`Dashboard:  ${again.url}/#key=${credentials.readKey}`);
    expect(banner).toContain(`Chat:       ${again.url}/#key=${credentials.readKey}&route=%2Fchat`);
    const curl = /Agents API: curl -H "authorization: Bearer (\S+)" (\S+) /.exec(banner);
    expect((await fetch(curl?.[2] ?? '', { headers: { authorization: `Bearer ${curl?.[1]}` } })).status).toBe(
      200,
    );
    // Not a TTY: JSON log lines, one per request (a terminal gets pretty lines without them).
    await fetch(`${again.url}/v1/project`, { headers: { authorization: `Bearer ${credentials.readKey}` } });
    await expect.poll(() => again.output()).toMatch(/\{"level":30,.*"path":"\/v1\/project"/);
    await again.stop();
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
    const bad = await runCli({ cwd: dir, args: ['keys', 'create', '--scope', 'admin'] });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--scope must be');
  });

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
