/**
 * Datasets for `sightline replay`: conversations taken from the collector's history, each kept as its
 * human turns and the answers the agent gave them then (the expected answers), in a JSON file a CI job
 * can keep next to the code.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { type ConversationDetail, type ConversationSummary, type Page, turnsOf } from '@sightline/core';
import { z } from 'zod';
import type { HttpClient } from './http-client.ts';

const turnSchema = z.object({ human: z.string(), expected: z.string().nullable() });

const itemSchema = z.object({
  id: z.string().min(1),
  sourceConversationId: z.string().nullable(),
  turns: z.array(turnSchema).min(1),
});

const datasetSchema = z.object({
  name: z.string().min(1),
  createdAt: z.string(),
  items: z.array(itemSchema).min(1),
});

/** One human turn and what the agent answered it at capture time (`null`: no answer). */
export type DatasetTurn = z.output<typeof turnSchema>;
/** One dataset item: a conversation's human turns and observed answers. */
export type DatasetItem = z.output<typeof itemSchema>;
/** A named list of items. */
export type Dataset = z.output<typeof datasetSchema>;

/** Which conversations to take: named ids, or the list's filters (query parameters) up to `limit`. */
export interface DatasetSource {
  conversationIds: string[];
  filters: string[];
  limit: number;
}

/** Reads the chosen conversations from the collector (read or admin key) into a dataset. */
export async function captureDataset(
  collector: HttpClient,
  options: DatasetSource & { name: string },
): Promise<Dataset> {
  const ids = options.conversationIds.length
    ? options.conversationIds
    : await listIds(collector, options.filters, options.limit);
  const items: DatasetItem[] = [];
  for (const id of ids) {
    const detail = await collector.get<ConversationDetail>(`/v1/conversations/${encodeURIComponent(id)}`, {
      allowMissing: true,
    });
    if (!detail) throw new Error(`dataset create: --conversation: no conversation ${JSON.stringify(id)}`);
    const turns = turnsOf(detail);
    if (turns.length > 0) items.push({ id: `item-${items.length + 1}`, sourceConversationId: id, turns });
  }
  if (items.length === 0) throw new Error('dataset create: no conversation with a human turn matched');
  return { name: options.name, createdAt: new Date().toISOString(), items };
}

async function listIds(collector: HttpClient, filters: string[], limit: number): Promise<string[]> {
  const query = new URLSearchParams();
  for (const filter of filters) {
    const at = filter.indexOf('=');
    if (at <= 0)
      throw new Error(`dataset create: --filter must be name=value, got ${JSON.stringify(filter)}`);
    query.append(filter.slice(0, at), filter.slice(at + 1));
  }
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page = new URLSearchParams(query);
    page.set('limit', String(Math.min(100, limit - ids.length)));
    if (cursor) page.set('cursor', cursor);
    const answer = await collector.get<Page<ConversationSummary>>(`/v1/conversations?${page}`);
    for (const summary of answer?.data ?? []) ids.push(summary.id);
    cursor = answer?.nextCursor ?? null;
  } while (cursor && ids.length < limit);
  return ids.slice(0, limit);
}

/** Writes a dataset as JSON. */
export async function writeDataset(file: string, dataset: Dataset): Promise<void> {
  await writeFile(file, `${JSON.stringify(dataset, null, 2)}\n`);
}

/** Reads and checks a dataset file; a bad one throws naming the file and the field. */
export async function readDataset(file: string): Promise<Dataset> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`--dataset ${file}: could not read it as JSON`, { cause: error });
  }
  const parsed = datasetSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`--dataset ${file}: ${issue?.path.join('.') || 'the file'}: ${issue?.message}`);
  }
  return parsed.data;
}
