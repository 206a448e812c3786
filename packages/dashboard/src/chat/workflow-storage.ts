/**
 * What a tab keeps of a workflow run across reloads (sessionStorage, per run): the events received,
 * so a reload shows the conversation and resumes after the last one (`Last-Event-ID`), and the answers
 * given from this tab (a secret answer is kept as `null`: only that it was given).
 */
import type { WorkflowEventRecord } from '../lib/workflow-conversation.ts';

/** An answer as shown back: the text or choices, or null for a secret. */
export type GivenAnswer = string | string[] | null;

const key = (runId: string, what: string) => `sightline.workflow.${runId}.${what}`;

function load<T>(runId: string, what: string, fallback: T): T {
  try {
    const raw = sessionStorage.getItem(key(runId, what));
    return raw ? (JSON.parse(raw) as T) : fallback;
  } catch {
    return fallback;
  }
}

function save(runId: string, what: string, value: unknown): void {
  try {
    sessionStorage.setItem(key(runId, what), JSON.stringify(value));
  } catch {
    // storage full: a reload replays the run from the server instead
  }
}

export function loadRunEvents(runId: string): WorkflowEventRecord[] {
  return load(runId, 'events', []);
}

export function saveRunEvents(runId: string, events: WorkflowEventRecord[]): void {
  save(runId, 'events', events);
}

export function loadAnswers(runId: string): Record<string, GivenAnswer> {
  return load(runId, 'answers', {});
}

export function saveAnswers(runId: string, answers: Record<string, GivenAnswer>): void {
  save(runId, 'answers', answers);
}
