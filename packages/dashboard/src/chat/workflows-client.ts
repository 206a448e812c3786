/**
 * The workflow routes of `@sightline/serve` over HTTP with the read key as bearer token (a browser
 * cannot put it on a WebSocket): discovery, starting a run, answering a question, cancelling. The run's
 * events are read as server-sent events by workflow-stream.ts.
 */
import { toApiError } from '../api/api-error.ts';
import { getServedList, servedFetch } from './served-fetch.ts';

/** A workflow as `GET /workflows` describes it. */
export interface WorkflowInfo {
  name: string;
  description: string;
  /** JSON schema of the run's parameters. */
  params: JsonSchema;
}

/** The part of JSON schema the parameters form understands. */
export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
}

/** Base path of a run's routes. */
export function runPath(runId: string): string {
  return `/workflows/runs/${encodeURIComponent(runId)}`;
}

async function postJson<T>(key: string, path: string, body: unknown): Promise<T> {
  const response = await servedFetch(key, path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw await toApiError(response);
  return (await response.json()) as T;
}

/** Lists the served workflows; throws ApiError (404 when no workflows are mounted on this server). */
export async function listWorkflows(key: string, signal?: AbortSignal): Promise<WorkflowInfo[]> {
  const body = (await getServedList(key, '/workflows', signal)) as { workflows?: WorkflowInfo[] };
  return body.workflows ?? [];
}

/** Starts a run (400 naming the parameter when one is invalid); its events are read separately. */
export function startWorkflowRun(
  key: string,
  workflow: string,
  params: Record<string, unknown>,
): Promise<{ runId: string; conversationId: string }> {
  return postJson(key, `/workflows/${encodeURIComponent(workflow)}/runs`, { params });
}

/** Answers question `questionId` of a run (400 when it is not waiting or the answer is not allowed). */
export async function answerQuestion(
  key: string,
  options: { runId: string; questionId: string; answer: string | string[] },
): Promise<void> {
  await postJson(key, `${runPath(options.runId)}/answers`, {
    questionId: options.questionId,
    answer: options.answer,
  });
}

/** Asks the server to stop a run; it answers with a `cancelled` event on the stream. */
export async function cancelWorkflowRun(key: string, runId: string): Promise<void> {
  await postJson(key, `${runPath(runId)}/cancel`, {});
}
