/** Dataset files: written, read back and checked when read. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readDataset, writeDataset } from './dataset-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'sightline-dataset-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('dataset files', () => {
  it('reads back what it wrote', async () => {
    const file = join(dir, 'ok.json');
    const dataset = {
      name: 'd',
      createdAt: '2026-01-01T00:00:00.000Z',
      items: [{ id: 'item-1', sourceConversationId: null, turns: [{ human: 'hi', expected: null }] }],
    };
    await writeDataset(file, dataset);
    expect(await readDataset(file)).toEqual(dataset);
  });

  it.each([
    ['broken.json', '{', /could not read it as JSON/],
    ['empty.json', '{"name":"d","createdAt":"x","items":[]}', /items: Too small/],
    [
      'turnless.json',
      '{"name":"d","createdAt":"x","items":[{"id":"i","sourceConversationId":null,"turns":[]}]}',
      /items\.0\.turns: Too small/,
    ],
  ])('refuses %s naming the file and the field', async (name, text, error) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    await expect(readDataset(file)).rejects.toThrow(error);
    await expect(readDataset(file)).rejects.toThrow(`--dataset ${file}`);
  });
});
