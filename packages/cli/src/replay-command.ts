/**
 * `sightline replay`: sends each dataset item's human turns to a served agent (a new conversation per
 * item), waits for the runs to be tracked, tags the new conversations with the experiment, runs the
 * collector's evaluators over them and over the items' source conversations, prints a per-item
 * comparison (answers, tool calls, cost, latency, scores) and fails when a score's mean is under its
 * threshold: a check for CI. A collector dataset's replay is recorded as an experiment and compared by
 * the collector (replay-experiment.ts, replay-comparison.ts); a dataset file's is compared here
 * (replay-report.ts).
 */
import { randomBytes } from 'node:crypto';
import { type ConversationDetail, type ExperimentComparison, turnsOf } from '@sightline/core';
import type { Dataset, DatasetItem } from './dataset-file.ts';
import type { HttpClient } from './http-client.ts';
import { printComparison } from './replay-comparison.ts';
import { type CollectorReplay, recordExperiment } from './replay-experiment.ts';
import { type ItemResult, printReplay, type ReplaySide } from './replay-report.ts';

export const REPLAY_HELP = `  dataset create --url <collector> --key <admin key> [--name <name>]
           [--conversation <id> ...] [--filter <name=value> ...] [--limit <n>] [--out <file>]
                        Take conversations from the collector's history (named, or the list's filters,
                        most recent first, default 20) into a dataset of the collector (created, or
                        extended when it exists): human turns and the answers given then. --out <file>:
                        into a JSON file instead (a read key is enough)
  replay --dataset <collector dataset | file> --agent <name> --url <served base> --key <chat|admin key>
           [--collector <url>] [--admin-key <key>] [--experiment <name>] [--baseline <experiment>]
           [--evaluator <name> ...] [--min-score <name>=<x> ...] [--report <file>]
                        Replay a dataset against a served agent, evaluate the new conversations, print the
                        per-item differences (--report: also as JSON). A collector dataset's replay is
                        recorded as an experiment and compared by the collector (with the source
                        conversations, or --baseline, an earlier experiment), with the URL of the
                        comparison page. Exit 1 when a score's mean is under --min-score, 2 when it
                        could not replay`;

/** What `replay` needs: the dataset, where the agent is served, the collector and the thresholds. */
export interface ReplayOptions {
  dataset: Dataset;
  agent: string;
  served: HttpClient;
  collector: HttpClient;
  experiment: string;
  evaluators: string[];
  minScores: Map<string, number>;
  out: (line: string) => void;
  /** Writes the per-item results (a file dataset) or the comparison (a collector dataset) as JSON. */
  report?: (report: { results: ItemResult[] } | { comparison: ExperimentComparison }) => Promise<void>;
  /** A collector dataset: the replay is recorded as an experiment and compared by the collector. */
  record?: CollectorReplay;
  /** How long to wait for the runs to reach the collector and for the evaluation (default 60 s). */
  timeoutMs?: number;
}

interface RunAnswer {
  conversationId: string;
  trackedConversationId: string;
  output: unknown;
  status: string;
}

/** Runs the replay; resolves to the exit code (1 when a threshold fails). */
export async function replay(options: ReplayOptions): Promise<number> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const runs: ReplayedItem[] = [];
  for (const item of options.dataset.items) runs.push(await replayItem(options, item));
  const replayed = await Promise.all(runs.map((run) => waitTracked(options, run, timeoutMs)));
  for (const run of runs) await tagExperiment(options, run.tracked);
  const sources = runs.flatMap((run) =>
    run.item.sourceConversationId && !options.record?.baselineId ? [run.item.sourceConversationId] : [],
  );
  await evaluate(options, [...runs.map((run) => run.tracked), ...sources], timeoutMs);
  if (options.record) return recordAndCompare(options, options.record, { runs, replayed });
  const results: ItemResult[] = [];
  for (const [index, run] of runs.entries()) {
    const detail = await readDetail(options.collector, run.tracked);
    const source = run.item.sourceConversationId
      ? await readDetail(options.collector, run.item.sourceConversationId)
      : null;
    results.push({
      item: run.item,
      replayed: sideOf(detail ?? replayed[index] ?? null, run.tracked),
      source: source ? sideOf(source, source.conversation.id) : null,
      stopped: run.stopped,
    });
  }
  await options.report?.({ results });
  return printReplay({
    results,
    minScores: options.minScores,
    experiment: options.experiment,
    out: options.out,
  });
}

/** Records the replay as an experiment of the collector's dataset; prints the collector's comparison. */
async function recordAndCompare(
  options: ReplayOptions,
  record: CollectorReplay,
  done: { runs: ReplayedItem[]; replayed: Array<ConversationDetail | null> },
): Promise<number> {
  const items = done.runs.map((run, index) => ({
    itemId: run.item.id,
    conversationId: run.tracked,
    status: run.stopped ?? 'completed',
    agentVersion: done.replayed[index]?.conversation.agentVersion ?? null,
  }));
  const { comparison, url } = await recordExperiment(options.collector, {
    replay: record,
    name: options.experiment,
    agent: options.agent,
    items,
  });
  await options.report?.({ comparison });
  return printComparison({ comparison, minScores: options.minScores, url, out: options.out });
}

/** An item as replayed: its tracked conversation, the turns sent and answered, why it stopped early. */
interface ReplayedItem {
  item: DatasetItem;
  tracked: string;
  sent: number;
  answered: number;
  /** `turn <n>: <status>` when a run did not complete (a tool awaiting approval): later turns not sent. */
  stopped: string | null;
}

async function replayItem(options: ReplayOptions, item: DatasetItem): Promise<ReplayedItem> {
  const conversationId = `${options.experiment}-${item.id}-${randomBytes(3).toString('hex')}`;
  const replayed: ReplayedItem = { item, tracked: '', sent: 0, answered: 0, stopped: null };
  for (const turn of item.turns) {
    const answer = await options.served.post<RunAnswer>(`/agents/${encodeURIComponent(options.agent)}/runs`, {
      input: turn.human,
      conversationId,
    });
    replayed.tracked = answer.trackedConversationId;
    replayed.sent++;
    if (answer.status !== 'completed') {
      replayed.stopped = `turn ${replayed.sent}: ${answer.status}`;
      break;
    }
    replayed.answered++;
  }
  return replayed;
}

/** Waits until the collector holds the turns sent and an agent answer for each completed one. */
async function waitTracked(
  options: ReplayOptions,
  run: ReplayedItem,
  timeoutMs: number,
): Promise<ConversationDetail | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const detail = await readDetail(options.collector, run.tracked);
    const turns = detail ? turnsOf(detail) : [];
    const answered = turns.filter((turn) => turn.expected !== null).length;
    if (turns.length >= run.sent && answered >= run.answered) return detail;
    if (Date.now() > deadline)
      throw new Error(
        `replay: conversation ${run.tracked} did not reach the collector in ${timeoutMs} ms (it holds ${
          detail
            ? detail.messages.map((message) => `${message.role} ${message.timestamp}`).join(', ') ||
              'no message'
            : 'nothing'
        })`,
      );
    await sleep(200);
  }
}

/** The experiment as a categorical score `experiment` (the list filters it: scoreName, scoreValue). */
async function tagExperiment(options: ReplayOptions, conversationId: string): Promise<void> {
  await options.collector.post('/v1/scores', {
    conversationId,
    name: 'experiment',
    value: options.experiment,
    dataType: 'categorical',
    source: 'code',
    scoreId: 'replay:experiment',
    metadata: { dataset: options.dataset.name },
  });
}

interface EvaluationJob {
  jobId: string;
  status: 'running' | 'done' | 'failed';
  counts: { failed: number };
}

async function evaluate(options: ReplayOptions, conversationIds: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const body = options.evaluators.length
    ? { conversationIds, evaluators: options.evaluators }
    : { conversationIds };
  let job = await options.collector.post<EvaluationJob>('/v1/evaluations', body);
  while (job.status === 'running') {
    if (Date.now() > deadline)
      throw new Error(`replay: evaluation job ${job.jobId} still running after ${timeoutMs} ms`);
    await sleep(200);
    job = (await options.collector.get<EvaluationJob>(`/v1/evaluations/${job.jobId}`)) ?? job;
  }
  if (job.status === 'failed') throw new Error(`replay: evaluation job ${job.jobId} failed`);
}

function readDetail(collector: HttpClient, id: string): Promise<ConversationDetail | null> {
  return collector.get<ConversationDetail>(`/v1/conversations/${encodeURIComponent(id)}`, {
    allowMissing: true,
  });
}

/** What the report shows of one conversation. */
function sideOf(detail: ConversationDetail | null, id: string): ReplaySide {
  const scores: Record<string, number | string> = {};
  for (const score of detail?.scores ?? []) {
    if (score.name === 'experiment' || score.messageId || score.stepId) continue;
    scores[score.name] = typeof score.value === 'boolean' ? Number(score.value) : score.value;
  }
  return {
    conversationId: id,
    agentVersion: detail?.conversation.agentVersion ?? null,
    answers: detail ? turnsOf(detail).map((turn) => turn.expected) : [],
    toolCalls: (detail?.steps ?? []).filter((step) => step.type === 'tool').map((step) => step.name),
    costUsd: detail?.totals.costUsd ?? null,
    durationMs: detail?.totals.durationMs ?? null,
    scores,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
