/**
 * After the campaign: every conversation the list shows reads back whole (its messageCount and stepCount
 * match the messages and steps returned), every message an ingest answer accepted is stored, and no
 * message of a refused event or request is ("nothing half-written").
 */
import type { Agent } from 'node:http';
import { percentEncode } from './hostile-values.ts';
import type { IngestCase } from './ingest-cases.ts';
import { type Outcome, send, type Target } from './raw-request.ts';

/** Per (conversation, message id): 'accepted', 'refused' (never stored), or 'unknown' (no clear answer). */
export type Ledger = Map<string, 'accepted' | 'refused' | 'unknown'>;

const pairKey = (conversationId: string, messageId: string) => JSON.stringify([conversationId, messageId]);

/** Records what an ingest answer says about each message event the request carried. */
export function recordIngest(ledger: Ledger, request: IngestCase, outcome: Outcome): void {
  const results = (outcome.json as { results?: Array<{ status?: string } | null> } | undefined)?.results;
  for (const message of request.messages) {
    const key = pairKey(message.conversationId, message.messageId);
    let status: 'accepted' | 'refused' | 'unknown';
    if (outcome.status >= 500 || outcome.status === 0) status = 'unknown';
    else if (results) {
      const answer = results[message.index]?.status;
      // A duplicate's event id was stored before, perhaps for another event: which one is not known here.
      status = answer === 'accepted' ? 'accepted' : answer === 'rejected' ? 'refused' : 'unknown';
    } else status = outcome.status < 300 ? 'unknown' : 'refused';
    const before = ledger.get(key);
    // Sent more than once (a repeated event): stored if any copy was accepted.
    if (before === 'accepted' || status === 'accepted') ledger.set(key, 'accepted');
    else if (before === 'unknown' || status === 'unknown') ledger.set(key, 'unknown');
    else ledger.set(key, 'refused');
  }
}

export interface ReadbackReport {
  conversations: number;
  messages: number;
  problems: string[];
  /** Ledger entries checked (accepted ones found, refused ones absent). */
  checked: number;
}

interface Summary {
  id: string;
  messageCount: number;
  stepCount: number;
}

interface Detail {
  conversation: Summary;
  messages: Array<{ id: string }>;
  steps: unknown[];
}

async function listAll(target: Target, agent: Agent, problems: string[]): Promise<Summary[]> {
  const all: Summary[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 1_000; page++) {
    const path: string = `/v1/conversations?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await send(target, agent, { label: 'list', method: 'GET', path, key: 'read' });
    const body = res.json as { data?: Summary[]; nextCursor?: string | null } | undefined;
    if (res.status !== 200 || !body?.data) {
      problems.push(`GET ${path} answered ${res.status}: ${res.body}`);
      break;
    }
    all.push(...body.data);
    cursor = body.nextCursor ?? null;
    if (!cursor) break;
  }
  return all;
}

/** Reads every conversation back and checks the ledger against what is stored. */
export async function readBack(
  target: Target,
  agent: Agent,
  ledger: Ledger,
  concurrency: number,
): Promise<ReadbackReport> {
  const problems: string[] = [];
  const summaries = await listAll(target, agent, problems);
  const stored = new Set<string>();
  let messages = 0;
  let next = 0;
  const worker = async () => {
    while (next < summaries.length) {
      const summary = summaries[next++] as Summary;
      const path = `/v1/conversations/${percentEncode(summary.id)}`;
      const res = await send(target, agent, { label: 'read back', method: 'GET', path, key: 'read' });
      const detail = res.json as Detail | undefined;
      const id = JSON.stringify(summary.id).slice(0, 120);
      if (res.status !== 200 || !detail?.messages) {
        problems.push(
          `conversation ${id} does not read back: GET ${path.slice(0, 200)} answered ${res.status}: ${res.body}`,
        );
        continue;
      }
      messages += detail.messages.length;
      for (const message of detail.messages) stored.add(pairKey(summary.id, message.id));
      if (detail.conversation.messageCount !== detail.messages.length)
        problems.push(
          `conversation ${id}: messageCount ${detail.conversation.messageCount}, ${detail.messages.length} messages returned`,
        );
      if (detail.conversation.stepCount !== detail.steps.length)
        problems.push(
          `conversation ${id}: stepCount ${detail.conversation.stepCount}, ${detail.steps.length} steps returned`,
        );
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  let checked = 0;
  for (const [key, status] of ledger) {
    if (status === 'unknown') continue;
    checked += 1;
    const [conversationId, messageId] = JSON.parse(key) as [string, string];
    const what = `message ${JSON.stringify(messageId).slice(0, 80)} of conversation ${JSON.stringify(conversationId).slice(0, 80)}`;
    if (status === 'accepted' && !stored.has(key)) problems.push(`${what} was accepted but is not stored`);
    if (status === 'refused' && stored.has(key)) problems.push(`${what} was refused but is stored`);
  }
  return { conversations: summaries.length, messages, problems, checked };
}

/** Reads over everything the campaign stored: each must answer 200 (aggregates over hostile values included). */
export const FINAL_READS: readonly string[] = [
  '/v1/metrics?from=2025-12-31T00:00:00Z&to=2026-01-02T00:00:00Z&bucket=hour',
  '/v1/metrics?from=2025-01-01T00:00:00Z&to=2026-12-31T00:00:00Z&bucket=day',
  `/v1/metrics?from=2025-01-01T00:00:00Z&to=${encodeURIComponent(new Date(Date.now() + 86_400_000).toISOString())}`,
  '/v1/customers?limit=200',
  '/v1/customers?search=hostile',
  '/v1/tools/search/calls?kind=slowest',
  '/v1/tools/search/calls?kind=failed',
  '/v1/tools/search/calls?kind=recent',
  '/v1/tools/chat%20gpt-4o/calls',
  '/v1/ingestion/health',
  '/v1/project',
  '/v1/conversations?search=hello',
  '/v1/conversations?search=hostile%20suite',
  '/v1/conversations?metadata=plan%3Dpro',
  '/v1/conversations?metadata=channel%3Dweb&metadata=run%3D1',
  '/v1/conversations?customerId=hostile-customer',
  '/v1/conversations?hasError=true',
  '/v1/conversations?feedback=positive',
  '/v1/conversations?source=hostile&environment=hostile-env',
  '/v1/conversations?from=2025-12-31T00:00:00Z&to=2026-01-02T00:00:00Z&limit=200',
];

/** Sends the final reads; returns a problem for each that did not answer 200. */
export async function finalReads(target: Target, agent: Agent): Promise<string[]> {
  const problems: string[] = [];
  for (const path of FINAL_READS) {
    const res = await send(target, agent, { label: 'final read', method: 'GET', path, key: 'read' });
    if (res.status !== 200) problems.push(`GET ${path} answered ${res.status}: ${res.body}`);
  }
  return problems;
}
