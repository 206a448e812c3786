/**
 * Datasets and replay end to end (issue 15 item 4): the notes agent served by a real `sightline start`
 * (version A) writes a history of 20 conversations; `sightline dataset create` takes them into a
 * dataset of the collector; version B of the notes agent (changed instructions), served over HTTP by
 * this test and tracked into the same collector, replays it through `sightline replay`, which evaluates
 * the new conversations with the collector's code evaluator, records the replay as an experiment and
 * prints the collector's comparison (`GET /v1/experiments/compare`) with the URL of its dashboard page.
 * It exits 0 when B keeps the score and 1 on a planted regression (B's instructions say it keeps no
 * notes and it is given no create_note tool: the offline demo model follows tools, not instructions);
 * the comparison API shows the regression item by item, against the sources and against the good run.
 * A dataset file (`--out`) still replays as before.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Agent } from '@openai/agents';
import { agentVersionOf, demoModel, instrumentAgents, uninstrumentAgents } from '@sightline/agents';
import type { DatasetDetail, ExperimentComparison } from '@sightline/core';
import { memorySessions, serveAgents } from '@sightline/serve';
import { listenNode, type NodeListener } from '@sightline/serve/node';
import { createTracker, type Tracker } from '@sightline/tracker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from './dataset-file.ts';
import { demoAgents } from './demo-agents.ts';
import { type RunningCli, runCli, startCli } from './spawn-cli.ts';

const EVALUATORS = `export default [{
  name: 'mentions-note',
  source: 'code',
  dataType: 'boolean',
  evaluate: (c) => {
    const asked = c.messages.find((m) => m.role === 'human')?.content ?? '';
    const title = /titled (Errand \\d+)/.exec(asked)?.[1];
    const answer = c.messages.filter((m) => m.role === 'agent').map((m) => m.content).join(' ');
    return title ? { value: answer.includes(title) } : undefined;
  },
}];`;

let dir: string;
let cli: RunningCli;
let keys: { ingestKey: string; readKey: string; chatKey: string; adminKey: string };
let tracker: Tracker;
const listeners: NodeListener[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sightline-replay-'));
  writeFileSync(join(dir, 'evaluators.mjs'), EVALUATORS);
  cli = await startCli({
    cwd: dir,
    args: ['--evaluators', join(dir, 'evaluators.mjs')],
    env: { OPENAI_API_KEY: '' },
  });
  keys = JSON.parse(readFileSync(join(dir, '.sightline', 'credentials.json'), 'utf8'));
  tracker = createTracker({
    apiKey: keys.ingestKey,
    endpoint: cli.url,
    flushIntervalMs: 100,
    exitHooks: false,
    handleSignals: false,
  });
  instrumentAgents(tracker);
}, 60_000);

afterAll(async () => {
  await Promise.all(listeners.map((listener) => listener.close()));
  await uninstrumentAgents();
  await tracker?.shutdown();
  await cli?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Serves `agent` as `notes` over HTTP, tracked into the collector; resolves to its base URL. */
async function serveVersionB(agent: Agent): Promise<string> {
  const app = serveAgents({ agents: [agent], sessions: memorySessions(), tracker });
  const listener = await listenNode(app, { port: 0, host: '127.0.0.1' });
  listeners.push(listener);
  return listener.url;
}

function notesAgent(): Agent {
  const notes = demoAgents(demoModel()).find((agent) => agent.name === 'notes');
  if (!notes) throw new Error('no notes demo agent');
  return notes as unknown as Agent;
}

async function runReplay(url: string, experiment: string, dataset: string) {
  return runCli({
    cwd: dir,
    args: [
      ...['--report', join(dir, `${experiment}.json`)],
      'replay',
      ...['--dataset', dataset, '--agent', 'notes', '--url', url, '--key', keys.chatKey],
      ...['--collector', cli.url, '--admin-key', keys.adminKey, '--experiment', experiment],
      ...['--min-score', 'mentions-note=0.9'],
    ],
  });
}

async function read<T>(path: string): Promise<T> {
  const res = await fetch(`${cli.url}${path}`, { headers: { authorization: `Bearer ${keys.readKey}` } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

describe('sightline replay', () => {
  it('replays a collector dataset of 20 conversations on version B, records experiments, fails on a planted regression', async () => {
    for (let index = 1; index <= 20; index++) {
      const res = await fetch(`${cli.url}/agents/notes/runs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${keys.chatKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          input: `Create a note titled Errand ${index} with content buy item ${index}`,
          conversationId: `history-${index}`,
        }),
      });
      expect(res.status).toBe(200);
    }
    const createArgs = [
      ...['dataset', 'create', '--url', cli.url, '--name', 'notes-history'],
      ...['--filter', 'search=Errand', '--limit', '20'],
    ];
    // Idempotent per conversation, admin key only: see the server's datasets.test.ts.
    const created = await runCli({ cwd: dir, args: [...createArgs, '--key', keys.adminKey] });
    expect(created.stderr).toBe('');
    expect(created.stdout).toContain('dataset notes-history: 20 items added, 20 in all (created)');
    const detail = await read<DatasetDetail>('/v1/datasets/notes-history');
    expect(detail.items).toHaveLength(20);
    expect(detail.items.every((item) => item.turns[0]?.expected?.includes('Errand'))).toBe(true);

    const base = notesAgent();
    const changed = base.clone({ instructions: 'You are a concise notes assistant. Answer in one line.' });
    expect(agentVersionOf(changed)).not.toBe(agentVersionOf(base));
    const served = await serveVersionB(changed);
    const good = await runReplay(served, 'b-good', 'notes-history');
    expect(good.stderr).toBe('');
    expect(good.stdout).toContain(
      'experiment b-good: 20 items of dataset notes-history, against the source conversations',
    );
    expect(good.stdout).toContain(`agent versions: ${agentVersionOf(base)} -> ${agentVersionOf(changed)}`);
    expect(good.stdout).toMatch(/score mentions-note: mean 1 \(was 1\) >= 0\.9: pass/);
    expect(good.stdout).toContain(
      `comparison: ${cli.url}/#/datasets/${detail.dataset.id}/compare?candidate=`,
    );
    expect(good.code).toBe(0);

    const broken = base.clone({ instructions: 'You keep no notes; just chat.', tools: [] });
    const bad = await runReplay(await serveVersionB(broken), 'b-bad', 'notes-history');
    expect(bad.stderr).toBe('');
    expect(bad.stdout).toContain('answers differ');
    expect(bad.stdout).toMatch(/tools: create_note -> none/);
    expect(bad.stdout).toMatch(/score mentions-note: 1 -> 0 \(-1\)/);
    expect(bad.stdout).toContain('changed: 20 of 20 items');
    expect(bad.stdout).toMatch(/score mentions-note: mean 0 \(was 1\) < 0\.9: FAIL/);
    expect(bad.code).toBe(1);

    // The comparison API: the regression item by item, against the sources and against the good run.
    const experiments = (await read<DatasetDetail>('/v1/datasets/notes-history')).experiments;
    const id = (name: string) => experiments.find((experiment) => experiment.name === name)?.id ?? '';
    expect(experiments.map((experiment) => [experiment.name, experiment.itemCount])).toEqual([
      ['b-bad', 20],
      ['b-good', 20],
    ]);
    expect(experiments[0]).toMatchObject({ agent: 'notes', agentVersion: agentVersionOf(broken) });
    const regression = await read<ExperimentComparison>(`/v1/experiments/compare?candidate=${id('b-bad')}`);
    expect(regression.changedItems).toBe(20);
    expect(regression.summary.base.meanScores).toEqual({ 'mentions-note': 1 });
    expect(regression.summary.candidate.meanScores).toEqual({ 'mentions-note': 0 });
    for (const item of regression.items) {
      expect(item).toMatchObject({
        answersChanged: true,
        toolCallsChanged: true,
        scoreDeltas: { 'mentions-note': -1 },
        base: { status: 'source', agentVersion: agentVersionOf(base), toolCalls: ['create_note'] },
        candidate: { status: 'completed', agentVersion: agentVersionOf(broken), toolCalls: [] },
      });
      expect(item.base?.answers[0]).toContain(item.humanTurns[0]?.match(/Errand \d+/)?.[0]);
    }
    const versusGood = await read<ExperimentComparison>(
      `/v1/experiments/compare?candidate=${id('b-bad')}&base=${id('b-good')}`,
    );
    expect(versusGood.base?.name).toBe('b-good');
    expect(versusGood.items.every((item) => item.scoreDeltas['mentions-note'] === -1)).toBe(true);
    const report = JSON.parse(readFileSync(join(dir, 'b-bad.json'), 'utf8'));
    expect(report).toMatchObject({ dataset: 'notes-history', experiment: 'b-bad' });
    expect(report.comparison.items).toHaveLength(20);
    const tagged = await read<{ data: unknown[] }>(
      '/v1/conversations?scoreName=experiment&scoreValue=b-bad&limit=100',
    );
    expect(tagged.data).toHaveLength(20);

    // A dataset file replays as before (no experiment recorded); a run that stops for an approval ends
    // its item (later turns are not sent) and is reported so.
    const approvals = join(dir, 'approvals.json');
    const turns = [
      { human: 'Delete note 1', expected: null },
      { human: 'List my notes', expected: null },
    ];
    const item = { id: 'item-1', sourceConversationId: null, turns };
    writeFileSync(approvals, JSON.stringify({ name: 'approvals', createdAt: 'now', items: [item] }));
    const stopped = await runReplay(served, 'b-approval', approvals);
    expect(stopped.stderr).toBe('');
    expect(stopped.stdout).toMatch(
      /- item-1 b-approval-item-1-\w+: answers same; stopped at turn 1: awaiting_approval/,
    );
    expect(stopped.stdout).toContain('score mentions-note: mean none (was none) < 0.9: FAIL');
    expect(stopped.code).toBe(1);
  }, 180_000);

  it('still writes a dataset file with --out (a read key is enough)', async () => {
    const file = join(dir, 'notes-dataset.json');
    const created = await runCli({
      cwd: dir,
      args: [
        ...['dataset', 'create', '--url', cli.url, '--key', keys.readKey],
        ...['--out', file, '--name', 'notes-file', '--filter', 'search=Errand', '--limit', '5'],
      ],
    });
    expect(created.stderr).toBe('');
    expect(created.stdout).toContain('dataset notes-file: 5 items');
    const dataset: Dataset = JSON.parse(readFileSync(file, 'utf8'));
    expect(dataset.items).toHaveLength(5);
    expect(dataset.items.every((item) => item.turns[0]?.human.includes('Errand'))).toBe(true);
  });
});
