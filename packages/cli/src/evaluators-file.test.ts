/**
 * `sightline start --evaluators <file>`: the module's evaluators are checked (a bad one names the file
 * and its place), and a started collector runs them on demand through POST /v1/evaluations; a bad
 * --eval-sample fails the start naming the option.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId } from '@sightline/core';
import { afterAll, describe, expect, it } from 'vitest';
import { loadEvaluators } from './evaluators-file.ts';
import { main } from './main.ts';
import { start } from './start.ts';

const dir = mkdtempSync(join(tmpdir(), 'sightline-evaluators-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

const LENGTH = `{ name: 'answer-length', source: 'code', evaluate: (c) => {
  const answer = c.messages.find((m) => m.role === 'agent');
  return answer ? { value: answer.content.length } : undefined;
} }`;

describe('loadEvaluators', () => {
  it('takes the default export or `evaluators`, TypeScript too', async () => {
    const js = await loadEvaluators(write('default.mjs', `export default [${LENGTH}];`));
    expect(js.map((e) => e.name)).toEqual(['answer-length']);
    const ts = write(
      'named.ts',
      `type E = { name: string; source: 'code'; evaluate: () => { value: number } };\nexport const evaluators: E[] = [{ name: 'one', source: 'code', evaluate: () => ({ value: 1 }) }];`,
    );
    expect((await loadEvaluators(ts)).map((e) => e.name)).toEqual(['one']);
  });

  it.each([
    ['empty.mjs', 'export default [];', /must export an array of evaluators/],
    ['nameless.mjs', "export default [{ source: 'code', evaluate() {} }];", /evaluator 0 needs a name/],
    [
      'source.mjs',
      "export default [{ name: 'x', evaluate() {} }];",
      /evaluator 0 "x" needs source "code" or "model"/,
    ],
    [
      'fn.mjs',
      `export default [${LENGTH}, { name: 'y', source: 'model' }];`,
      /evaluator 1 "y" needs an evaluate function/,
    ],
    ['twice.mjs', `export default [${LENGTH}, ${LENGTH}];`, /evaluator 1 repeats the name "answer-length"/],
    ['broken.mjs', 'export default [;', /could not load it/],
  ])('refuses %s', async (name, text, message) => {
    const file = write(name, text);
    await expect(loadEvaluators(file)).rejects.toThrow(message);
    await expect(loadEvaluators(file)).rejects.toThrow(`--evaluators ${file}`);
  });

  it('names a missing file', async () => {
    await expect(loadEvaluators(join(dir, 'missing.mjs'))).rejects.toThrow(/could not load it/);
  });
});

describe('sightline start with evaluators', () => {
  it('runs them on demand through POST /v1/evaluations', async () => {
    const evaluators = await loadEvaluators(write('start.mjs', `export default [${LENGTH}];`));
    const started = await start({
      port: 0,
      host: '127.0.0.1',
      database: join(dir, 'start.db'),
      home: join(dir, '.sightline'),
      quiet: true,
      agents: false,
      evaluators,
      evaluationSampleRate: 0.5,
    });
    try {
      const { ingestKey, adminKey } = started.project.credentials;
      const at = new Date(Date.now() - 5_000).toISOString();
      const event = (role: string, content: string) => ({
        id: newId(),
        type: 'message',
        timestamp: at,
        body: { conversationId: 'cli-1', role, content },
      });
      const send = (path: string, key: string, body: unknown) =>
        fetch(`${started.server.url}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      expect(
        (await send('/v1/ingest', ingestKey, { events: [event('human', 'hi'), event('agent', 'hello')] }))
          .status,
      ).toBe(200);
      const job = (await (
        await send('/v1/evaluations', adminKey, { conversationIds: ['cli-1'] })
      ).json()) as {
        jobId: string;
      };
      let shown: { status: string; counts: { scored: number } } | undefined;
      for (let i = 0; i < 200 && shown?.status !== 'done'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        const res = await fetch(`${started.server.url}/v1/evaluations/${job.jobId}`, {
          headers: { authorization: `Bearer ${adminKey}` },
        });
        shown = (await res.json()) as typeof shown;
      }
      expect(shown).toMatchObject({ status: 'done', counts: { scored: 1 } });
      const detail = await started.store.getConversation(started.project.credentials.projectId, 'cli-1');
      expect(detail?.scores).toMatchObject([{ name: 'answer-length', value: 5, source: 'code' }]);
    } finally {
      await started.close();
    }
  });

  it('refuses a sample rate outside 0..1, naming the option', async () => {
    await expect(main(['start', '--eval-sample', '2', '--db', join(dir, 'x.db')])).rejects.toThrow(
      '--eval-sample: must be a number from 0 to 1, got 2',
    );
  });
});
