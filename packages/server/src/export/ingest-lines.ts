/**
 * The JSONL export: each line is a `POST /v1/ingest` body, `{"events":[…]}`, for one conversation (a
 * conversation with more than 1,000 events or 5 MiB of them takes several lines, in order). Posting every
 * line to another project rebuilds each conversation as the API shows it: its fields, messages, steps,
 * feedback, totals, and the rollups the metrics read. Event ids are derived from each event's content, so
 * posting a file twice stores nothing new, and an export of unchanged data has the same ids.
 */
import { hash } from 'node:crypto';
import { LIMITS } from '@sightline/core';
import type { ConversationRecords, ExportedConversation } from '@sightline/store';

type Body = Record<string, unknown>;
interface WireEvent {
  type: 'conversation' | 'message' | 'step' | 'feedback';
  timestamp: string;
  body: Body;
}

/** Room kept under the ingest byte limit for the envelope and a margin. */
const MAX_LINE_BYTES = LIMITS.maxBatchBytes - 1024;

/** The lines of one conversation, as they can be written: a large one's parts as they are read. */
export async function* ingestLines(exported: ExportedConversation): AsyncGenerator<string, void, undefined> {
  const c = exported.conversation;
  const context = contextOf(c);
  const startedAt = Date.parse(c.startedAt);
  const lastActivityAt = Date.parse(c.lastActivityAt);
  const lines = new LineBuilder();
  let latest = startedAt;
  for (const event of conversationEvents(c, context)) yield* lines.add(event);
  for await (const part of exported.records) {
    for (const { at, event } of partEvents(part, context, startedAt, lastActivityAt)) {
      latest = Math.max(latest, at);
      yield* lines.add(event);
    }
  }
  // Its last activity may have been an event that left no row of its own (a step's end, say).
  if (lastActivityAt > latest)
    yield* lines.add({ type: 'conversation', timestamp: c.lastActivityAt, body: { ...context } });
  yield* lines.flush();
}

/** A UUID (version 8, RFC 9562) from a hash of the event's content: the same event, the same id. */
export function contentEventId(content: string): string {
  const hex = hash('sha256', content);
  const variant = ((Number.parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Builds lines of at most 1,000 events and the ingest byte limit. */
class LineBuilder {
  #events: string[] = [];
  #bytes = 0;

  *add(event: WireEvent): Generator<string, void, undefined> {
    const rest = JSON.stringify(event);
    const text = `{"id":"${contentEventId(rest)}",${rest.slice(1)}`;
    const bytes = Buffer.byteLength(text) + 1;
    if (this.#events.length >= LIMITS.maxBatchEvents || this.#bytes + bytes > MAX_LINE_BYTES)
      yield* this.flush();
    this.#events.push(text);
    this.#bytes += bytes;
  }

  *flush(): Generator<string, void, undefined> {
    if (this.#events.length === 0) return;
    yield `{"events":[${this.#events.join(',')}]}\n`;
    this.#events = [];
    this.#bytes = 0;
  }
}

type Summary = ExportedConversation['conversation'];

/** The conversation-level fields every event carries. */
function contextOf(c: Summary): Body {
  const context: Body = { conversationId: c.id };
  if (c.customerId !== null) context.customerId = c.customerId;
  if (c.source !== null) context.source = c.source;
  context.environment = c.environment;
  return context;
}

/** The conversation event (more than one when merged metadata outgrew one event's limit). */
function conversationEvents(c: Summary, context: Body): WireEvent[] {
  const body: Body = { ...context, startedAt: c.startedAt };
  if (c.name !== null) body.name = c.name;
  if (c.device !== null) body.device = c.device;
  if (c.language !== null) body.language = c.language;
  if (c.tags.length > 0) body.tags = c.tags;
  if (c.endedAt !== null) body.endedAt = c.endedAt;
  const [first, ...more] = metadataChunks(c.metadata);
  if (first) body.metadata = first;
  return [
    { type: 'conversation', timestamp: c.startedAt, body },
    ...more.map(
      (metadata): WireEvent => ({
        type: 'conversation',
        timestamp: c.startedAt,
        body: { ...context, metadata },
      }),
    ),
  ];
}

/** The events of a part of the conversation's records, in time order, with their times in ms. */
function partEvents(
  part: ConversationRecords,
  context: Body,
  from: number,
  to: number,
): Array<{ at: number; event: WireEvent }> {
  const events: WireEvent[] = [];
  for (const m of part.messages) {
    const body: Body = { ...context, messageId: m.id, role: m.role, content: m.content };
    if (Object.keys(m.metadata).length > 0) body.metadata = m.metadata;
    if (m.attachments.length > 0) body.attachments = m.attachments;
    events.push({ type: 'message', timestamp: m.timestamp, body });
  }
  for (const s of part.steps) events.push(...stepEvents(s, context, from, to));
  for (const f of part.feedback) {
    const body: Body = { ...context, feedbackId: f.id, feedbackSource: f.source };
    delete body.source; // on feedback, `source` may be read as who gave it
    if (f.messageId !== null) body.messageId = f.messageId;
    if (f.sentiment !== null) body.sentiment = f.sentiment;
    if (f.score !== null) body.score = f.score;
    if (f.comment !== null) body.comment = f.comment;
    if (Object.keys(f.metadata).length > 0) body.metadata = f.metadata;
    events.push({ type: 'feedback', timestamp: f.timestamp, body });
  }
  return events.map((event) => ({ at: Date.parse(event.timestamp), event })).sort((a, b) => a.at - b.at);
}

/**
 * A step as one event (plus one per further metadata chunk). Its time is clamped into the conversation's
 * span: a step's `startedAt` may precede the conversation's first event, and the event's own time would
 * otherwise move the conversation's start.
 */
function stepEvents(
  s: ConversationRecords['steps'][number],
  context: Body,
  from: number,
  to: number,
): WireEvent[] {
  const body: Body = { ...context, stepId: s.id, type: s.type, name: s.name, startedAt: s.startedAt };
  if (s.parentId !== null) body.parentId = s.parentId;
  if (s.endedAt !== null) body.endedAt = s.endedAt;
  if (s.durationMs !== null) body.durationMs = s.durationMs;
  if (s.input !== null) body.input = s.input;
  if (s.output !== null) body.output = s.output;
  if (s.error !== null) body.error = s.error;
  if (s.toolsUsed.length > 0) body.toolsUsed = s.toolsUsed;
  if (s.usage !== null) {
    const { model, provider, inputTokens, outputTokens, totalTokens, costUsd, timeToFirstTokenMs } = s.usage;
    const usage: Body = { model, inputTokens, outputTokens, totalTokens };
    if (provider !== null) usage.provider = provider;
    if (costUsd !== null) usage.costUsd = costUsd;
    if (timeToFirstTokenMs !== null) usage.timeToFirstTokenMs = timeToFirstTokenMs;
    body.usage = usage;
  }
  const timestamp = new Date(Math.min(to, Math.max(from, Date.parse(s.startedAt)))).toISOString();
  const [first, ...more] = metadataChunks(s.metadata);
  if (first) body.metadata = first;
  const base = { ...context, stepId: s.id, type: s.type, name: s.name };
  return [
    { type: 'step', timestamp, body },
    ...more.map((metadata): WireEvent => ({ type: 'step', timestamp, body: { ...base, metadata } })),
  ];
}

/**
 * Metadata split into objects within one event's limit. Stores merge metadata key by key over events, so
 * a conversation's or step's may have outgrown what one event may carry; its chunks merge back into it.
 */
export function metadataChunks(metadata: Record<string, unknown>): Array<Record<string, unknown>> {
  const entries = Object.entries(metadata);
  if (entries.length === 0) return [];
  if (JSON.stringify(metadata).length <= LIMITS.maxMetadataSize) return [metadata];
  const chunks: Array<Record<string, unknown>> = [];
  let chunk: Record<string, unknown> = {};
  let size = 2;
  for (const [key, value] of entries) {
    const entrySize = JSON.stringify(key).length + JSON.stringify(value).length + 2;
    if (size + entrySize > LIMITS.maxMetadataSize && Object.keys(chunk).length > 0) {
      chunks.push(chunk);
      chunk = {};
      size = 2;
    }
    chunk[key] = value;
    size += entrySize;
  }
  chunks.push(chunk);
  return chunks;
}
