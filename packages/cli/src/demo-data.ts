/**
 * `sightline start --demo`: fills an empty project with a realistic week of support-agent
 * conversations (several customers on different plans, model calls, tools that sometimes fail,
 * handoffs, feedback, a few tracker drop reports and rejected events) so the dashboard's first look
 * is not empty. Events are generated in core's wire format and go through core's parser, like any
 * tracker's, then `store.append` in batches.
 */
import { type IngestEvent, newId, parseIngestRequest } from '@sightline/core';
import type { Store } from '@sightline/store';
import {
  between,
  COMMENTS,
  CUSTOMERS,
  MODELS,
  pick,
  type Rand,
  SCENARIOS,
  TOOLS,
  type ToolSpec,
} from './demo-catalog.ts';

export interface DemoOptions {
  /** Days of history ending now (default 7). */
  days?: number;
  /** Conversations per day on average (default 90). */
  perDay?: number;
  /** Seed of the pseudo-random generator, so a demo is reproducible (default 7). */
  seed?: number;
  /** The end of the demo week, epoch ms (default now). */
  now?: number;
  /** Events per `store.append` (default 500). */
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface DemoResult {
  /** False when the project already had conversations (nothing was written). */
  seeded: boolean;
  conversations: number;
  events: number;
}

/** mulberry32: a small deterministic generator, so a demo looks the same on every machine. */
function random(seed: number): Rand {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function weighted<T extends { weight: number }>(r: Rand, items: readonly T[]): T {
  const total = items.reduce((sum, item) => sum + item.weight, 0);
  let at = r() * total;
  for (const item of items) {
    at -= item.weight;
    if (at < 0) return item;
  }
  return items[items.length - 1] as T;
}

/** Start times over the range, busier on weekday working hours (UTC), sorted. */
function startTimes(r: Rand, from: number, to: number, count: number): number[] {
  const times: number[] = [];
  while (times.length < count) {
    const at = from + Math.floor(r() * (to - from));
    const date = new Date(at);
    const hour = date.getUTCHours();
    const weekend = date.getUTCDay() === 0 || date.getUTCDay() === 6;
    const busy = (hour >= 8 && hour <= 18 ? 1 : hour >= 6 && hour <= 22 ? 0.45 : 0.12) * (weekend ? 0.45 : 1);
    if (r() < busy) times.push(at);
  }
  return times.sort((a, b) => a - b);
}

type Emit = (type: IngestEvent['type'], ms: number, body: Record<string, unknown>) => void;
type Scenario = (typeof SCENARIOS)[number];

const iso = (ms: number) => new Date(ms).toISOString();
const FOLLOW_UPS = [
  'Thanks. One more thing: can you double-check?',
  'And what about the second order?',
  'Great, can you confirm by email?',
];

/** One turn: the human asks, the agent plans, calls its tools (stopping at a failure), answers. */
function demoTurn(r: Rand, emit: Emit, turn: { scenario: Scenario; index: number; at: number }) {
  const { scenario } = turn;
  const model = weighted(r, MODELS);
  emit('message', turn.at, {
    role: 'human',
    content: turn.index === 0 ? pick(r, scenario.asks) : pick(r, FOLLOW_UPS),
  });
  const runId = newId();
  const runStart = turn.at + 20;
  let t = runStart;
  let failed = false;
  const llm = (name: string) => {
    const outputTokens = between(r, 40, 420);
    const ms = 250 + outputTokens * model.msPerToken + between(r, 0, 600);
    emit('step', t, {
      stepId: newId(),
      parentId: runId,
      type: 'llm',
      name,
      startedAt: iso(t),
      endedAt: iso(t + ms),
      durationMs: ms,
      input: { messages: turn.index * 2 + 2 },
      output: { finishReason: name === 'respond' ? 'stop' : 'tool_calls' },
      usage: {
        model: model.model,
        provider: model.provider,
        inputTokens: between(r, 350, 2600),
        outputTokens,
        timeToFirstTokenMs: between(r, 180, 900),
      },
    });
    t += ms + 5;
  };
  llm(scenario.tools.length > 0 ? 'plan' : 'respond');
  for (const toolName of scenario.tools) {
    const tool = TOOLS[toolName] as ToolSpec;
    const ms = between(r, tool.minMs, tool.maxMs) * (r() < 0.05 ? 6 : 1);
    const error = r() < tool.failRate ? pick(r, tool.errors) : null;
    emit('step', t, {
      stepId: newId(),
      parentId: runId,
      type: toolName === 'search_docs' ? 'retrieval' : 'tool',
      name: toolName,
      startedAt: iso(t),
      endedAt: iso(t + ms),
      durationMs: ms,
      input: tool.input(r),
      ...(error ? { error } : { output: tool.output(r) }),
    });
    t += ms + 5;
    failed = error !== null;
    if (failed) break;
  }
  if (scenario.name === 'Escalation')
    emit('step', t, {
      stepId: newId(),
      parentId: runId,
      type: 'handoff',
      name: 'human_support',
      startedAt: iso(t),
      endedAt: iso(t + 3),
      durationMs: 3,
    });
  if (scenario.tools.length > 0) llm('respond');
  emit('step', runStart, {
    stepId: runId,
    type: 'agent',
    name: 'support-agent',
    startedAt: iso(runStart),
    endedAt: iso(t),
    durationMs: t - runStart,
  });
  emit('message', t, {
    role: 'agent',
    content: failed
      ? 'Sorry, I could not complete that right now because a service did not answer. I have noted it; please try again in a few minutes.'
      : scenario.answer,
  });
  return { end: t, failed };
}

/** Feedback after the conversation: likelier, and mostly negative, when a tool failed. */
function demoFeedback(r: Rand, emit: Emit, at: number, failed: boolean): void {
  if (r() >= (failed ? 0.45 : 0.18)) return;
  const roll = r();
  const sentiment = failed
    ? roll < 0.8
      ? 'negative'
      : 'neutral'
    : roll < 0.8
      ? 'positive'
      : roll < 0.9
        ? 'neutral'
        : 'negative';
  const comment = pick(r, COMMENTS[sentiment]);
  emit('feedback', at, { sentiment, source: 'customer', ...(comment ? { comment } : {}) });
}

/** The events of one demo conversation starting at `start`. */
export function demoConversation(r: Rand, index: number, start: number): IngestEvent[] {
  const customer = weighted(r, CUSTOMERS);
  const scenario = weighted(r, SCENARIOS);
  const ctx = {
    conversationId: `demo-${String(index).padStart(5, '0')}`,
    customerId: customer.id,
    source: pick(r, ['web', 'web', 'web', 'api', 'slack']),
    environment: r() < 0.9 ? 'production' : 'staging',
  };
  const events: IngestEvent[] = [];
  const emit: Emit = (type, ms, body) =>
    events.push({ id: newId(), type, timestamp: iso(ms), body: { ...ctx, ...body } } as IngestEvent);
  emit('conversation', start, {
    name: scenario.name,
    device: r() < 0.7 ? 'desktop' : 'mobile',
    language: pick(r, ['en', 'en', 'en', 'de', 'fr', 'es']),
    metadata: { plan: customer.plan, appVersion: pick(r, ['2.3.1', '2.4.0', '2.4.0']) },
    tags: [scenario.name.toLowerCase().replaceAll(' ', '-')],
    startedAt: iso(start),
  });
  const turns = scenario.tools.length === 0 ? 1 : between(r, 1, 4);
  let at = start;
  let failed = false;
  for (let turn = 0; turn < turns; turn++) {
    const result = demoTurn(r, emit, { scenario, index: turn, at });
    failed ||= result.failed;
    at = result.end + between(r, 8_000, 120_000);
  }
  demoFeedback(r, emit, at, failed);
  emit('conversation', at, { endedAt: iso(at) });
  return events;
}

/** Seeds the demo week unless it already has conversations. */
export async function seedDemoData(
  store: Store,
  projectId: string,
  options: DemoOptions = {},
): Promise<DemoResult> {
  const existing = await store.listConversations(projectId, { limit: 1 });
  if (existing.data.length > 0) return { seeded: false, conversations: 0, events: 0 };
  const r = random(options.seed ?? 7);
  const now = options.now ?? Date.now();
  const days = options.days ?? 7;
  const total = Math.round((options.perDay ?? 90) * days);
  const starts = startTimes(r, now - days * 86_400_000, now - 10 * 60_000, total);
  const batchSize = options.batchSize ?? 500;
  let batch: IngestEvent[] = [];
  let events = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const parsed = parseIngestRequest({ events: batch });
    if (parsed.rejected.length > 0) throw new Error(`demo data: ${JSON.stringify(parsed.rejected[0])}`);
    // Future events (a conversation's later turns) stay out, as a real clock would not have them yet.
    const due = parsed.events.filter((e) => e.timestamp <= now);
    await store.append(projectId, due);
    events += due.length;
    batch = [];
  };
  for (const [index, start] of starts.entries()) {
    batch.push(...demoConversation(r, index + 1, start));
    if (batch.length >= batchSize) await flush();
    options.onProgress?.(index + 1, total);
  }
  await flush();
  await seedIngestionHealth(store, projectId);
  return { seeded: true, conversations: total, events };
}

/** Two trackers' reports (one had to drop events) and a few typical rejected events. */
async function seedIngestionHealth(store: Store, projectId: string): Promise<void> {
  await store.recordClientReport(projectId, {
    sdk: '@sightline/tracker',
    version: '0.1.0',
    instanceId: 'web-api-7f9c',
    dropped: { events: 0 },
  });
  await store.recordClientReport(projectId, {
    sdk: '@sightline/tracker',
    version: '0.1.0',
    instanceId: 'worker-batch-2b41',
    dropped: { events: 37, payloadsTruncated: 4, reasons: { buffer_full: 37 } },
  });
  const at = new Date().toISOString();
  const bad = [
    {
      id: newId(),
      type: 'message',
      timestamp: at,
      body: { conversationId: 'demo-bad-1', role: 'assistant', content: 'Hello!' },
    },
    {
      id: newId(),
      type: 'feedback',
      timestamp: at,
      body: { conversationId: 'demo-bad-2', comment: 'great' },
    },
    {
      id: 'not-a-uuid',
      type: 'step',
      timestamp: at,
      body: { conversationId: 'demo-bad-3', stepId: 's1', type: 'tool', name: 'lookup_order' },
    },
  ];
  const { rejected } = parseIngestRequest({ events: bad });
  await store.recordRejections(
    projectId,
    rejected.map((r) => ({ ...r, sample: JSON.stringify(bad[r.index]).slice(0, 500) })),
  );
}

/** Seeds the demo week for `sightline start --demo`, with a progress bar on stderr and a summary line. */
export async function seedDemoForStart(
  store: Store,
  projectId: string,
  options: { quiet: boolean },
): Promise<DemoResult> {
  const started = performance.now();
  const bar = options.quiet ? null : progressBar(process.stderr, 'Demo data');
  const result = await seedDemoData(store, projectId, { ...(bar ? { onProgress: bar.update } : {}) });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  bar?.done(
    result.seeded
      ? `Demo data: ${result.conversations} conversations (${result.events} events) over the last 7 days, written in ${seconds} s`
      : 'Demo data: skipped, the project already has conversations',
  );
  return result;
}

/** A one-line progress bar for a TTY (`stream.isTTY`); elsewhere it prints nothing until `done`. */
export function progressBar(
  stream: NodeJS.WriteStream,
  label: string,
): { update(done: number, total: number): void; done(text: string): void } {
  let last = -1;
  return {
    update(done, total) {
      if (!stream.isTTY) return;
      const pct = Math.floor((done / total) * 100);
      if (pct === last) return;
      last = pct;
      const width = 30;
      const filled = Math.round((pct / 100) * width);
      stream.write(
        `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(pct).padStart(3)}% ${done}/${total}`,
      );
    },
    done(text) {
      stream.write(stream.isTTY ? `\r\x1b[2K${text}\n` : `${text}\n`);
    },
  };
}
