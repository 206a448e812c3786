/** `sightline replay` tells a broken set-up (exit 2, one line naming the cause) from a failed threshold. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeDataset } from './dataset-file.ts';
import { type ReplayValues, replayCommand } from './replay-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'sightline-replay-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(values: ReplayValues): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await replayCommand(values, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out, err };
}

describe('replayCommand', () => {
  it('exits 2 naming the option, the file or the unreachable agent', async () => {
    const file = join(dir, 'd.json');
    await writeDataset(file, {
      name: 'd',
      createdAt: '2026-01-01T00:00:00.000Z',
      items: [{ id: 'item-1', sourceConversationId: null, turns: [{ human: 'hi', expected: null }] }],
    });
    const base = { dataset: file, agent: 'notes', url: 'http://127.0.0.1:9' };
    expect(await run({ ...base, url: undefined })).toEqual({
      code: 2,
      out: [],
      err: ['sightline replay: replay: --url is required'],
    });
    expect((await run({ ...base, 'min-score': ['x'] })).err).toEqual([
      'sightline replay: replay: --min-score must be <name>=<number>, got "x"',
    ]);
    const missing = await run({ ...base, dataset: join(dir, 'none.json') });
    expect(missing.code).toBe(2);
    expect(missing.err[0]).toContain(`--dataset ${join(dir, 'none.json')}: could not read it as JSON`);
    expect((await run({ ...base, baseline: 'earlier' })).err).toEqual([
      'sightline replay: --baseline: compares experiments of a collector dataset, not a file',
    ]);
    // A name that is no file is a dataset of the collector, asked for first.
    expect((await run({ ...base, dataset: 'notes-history' })).err).toEqual([
      'sightline replay: GET http://127.0.0.1:9/v1/datasets/notes-history: could not connect',
    ]);
    const unreachable = await run(base);
    expect(unreachable).toEqual({
      code: 2,
      out: [],
      err: ['sightline replay: POST http://127.0.0.1:9/agents/notes/runs: could not connect'],
    });
  });
});
