/**
 * The workflows a router serves and their runs in this process: start (validating parameters), find (only
 * the user who started a run reaches it), and forget finished or abandoned runs after a while.
 */

import type { StoredRun } from '@sightline/agents';
import { parseWith } from '@sightline/core/http';
import type { Tracker } from '@sightline/tracker';
import { z } from 'zod';
import { ServeError } from '../errors.ts';
import { type RemoteWorkflowRun, RemoteWorkflowRuns } from '../nodes/remote-workflow-runs.ts';
import type { ServeNode } from '../nodes/serve-node.ts';
import type { Workflow } from './workflow.ts';
import { WorkflowRun, type WorkflowRunInit } from './workflow-run.ts';

// biome-ignore lint/suspicious/noExplicitAny: workflows of any parameter and user type are served
export type AnyWorkflow = Workflow<any, any>;

export interface WorkflowRunsOptions {
  workflows: AnyWorkflow[];
  tracker: Tracker | undefined;
  /** Where runs are recorded and how other nodes reach them. */
  node: ServeNode;
  /** A run waiting for an answer with nobody connected is cancelled after this, in ms (default 5 minutes). */
  abandonAfterMs?: number | undefined;
  /** How long a finished run stays readable, in ms (default 10 minutes). */
  keepFinishedMs?: number | undefined;
  /** Longest answer, in characters (default 100,000). */
  maxAnswerChars?: number | undefined;
  /** Most runs at once (default 1,000); more answer 503. */
  maxRuns?: number | undefined;
  /** Receives what a workflow threw that was not a SightlineError. */
  onError?: WorkflowRunInit<unknown>['onError'];
}

/** A workflow as `GET /workflows` lists it. */
export interface WorkflowDescription {
  name: string;
  description: string;
  /** JSON schema of the parameters (as the client sends them: fields with defaults are optional). */
  params: unknown;
}

/** Served workflows and their runs. */
export class WorkflowRuns {
  readonly #workflows = new Map<string, AnyWorkflow>();
  readonly #runs = new Map<string, { run: WorkflowRun; endedAt: number | undefined }>();
  readonly #options: WorkflowRunsOptions;
  readonly #sweeper: NodeJS.Timeout;
  /** Runs of other nodes and of earlier processes. */
  readonly remote: RemoteWorkflowRuns;

  constructor(options: WorkflowRunsOptions) {
    this.#options = options;
    this.remote = new RemoteWorkflowRuns(options.node);
    for (const workflow of options.workflows) {
      if (workflow.name === 'runs')
        throw new ServeError('invalid_request', 'a workflow cannot be named "runs"');
      if (this.#workflows.has(workflow.name))
        throw new ServeError('conflict', `two workflows are named "${workflow.name}"`);
      this.#workflows.set(workflow.name, workflow);
    }
    this.#sweeper = setInterval(() => this.sweep(), 1000);
    this.#sweeper.unref();
  }

  /** The workflow named `name`; 404 naming the served ones otherwise. */
  get(name: string): AnyWorkflow {
    const workflow = this.#workflows.get(name);
    if (!workflow) {
      const known = [...this.#workflows.keys()].join(', ') || 'none';
      throw new ServeError('not_found', `no workflow named "${name}" (served workflows: ${known})`);
    }
    return workflow;
  }

  /** What discovery lists. */
  describe(): WorkflowDescription[] {
    return [...this.#workflows.values()].map((workflow) => ({
      name: workflow.name,
      description: workflow.description,
      params: workflow.params
        ? z.toJSONSchema(workflow.params, { unrepresentable: 'any', io: 'input' })
        : { type: 'object' },
    }));
  }

  /** Starts a run of workflow `name` with parameters validated against its schema (400 naming fields). */
  start(options: {
    name: string;
    params: unknown;
    user: unknown;
    userId: string;
    conversationId?: string | undefined;
  }): WorkflowRun {
    const workflow = this.get(options.name);
    const params = workflow.params
      ? parseWith(workflow.params, options.params ?? {}, ['params'])
      : (options.params ?? {});
    const max = this.#options.maxRuns ?? 1000;
    if (this.#runs.size >= max) this.sweep();
    if (this.#runs.size >= max)
      throw new ServeError('overloaded', `too many workflow runs (at most ${max}); retry shortly`);
    const run = new WorkflowRun({
      workflow,
      params,
      user: options.user,
      userId: options.userId,
      conversationId: options.conversationId,
      tracker: this.#options.tracker,
      node: this.#options.node,
      maxAnswerChars: this.#options.maxAnswerChars ?? 100_000,
      onError: this.#options.onError,
    });
    this.#runs.set(run.runId, { run, endedAt: undefined });
    this.remote.attach(run);
    return run;
  }

  /** The run held here, else the one recorded by any node (404 when neither, or another user's). */
  async find(runId: string, userId: string): Promise<WorkflowRun | StoredRun> {
    const entry = this.#runs.get(runId);
    if (entry?.run.userId === userId) return entry.run;
    const recorded = await this.remote.find(runId, userId);
    if (!recorded) throw new ServeError('not_found', `no workflow run ${runId}`);
    return recorded;
  }

  /** A run to read events from after `afterId`: the one held here, else a recorded one opened. */
  async open(runId: string, userId: string, afterId: number): Promise<WorkflowRun | RemoteWorkflowRun> {
    const found = await this.find(runId, userId);
    return 'frames' in found ? found : this.remote.open(found, afterId);
  }

  /** The run `runId` of user `userId`; 404 otherwise (another user's run is not revealed). */
  run(runId: string, userId: string): WorkflowRun {
    const entry = this.#runs.get(runId);
    if (!entry || entry.run.userId !== userId) throw new ServeError('not_found', `no workflow run ${runId}`);
    return entry.run;
  }

  /** Cancels abandoned runs and forgets old finished ones. */
  sweep(now = Date.now()): void {
    const abandonAfter = this.#options.abandonAfterMs ?? 5 * 60_000;
    const keep = this.#options.keepFinishedMs ?? 10 * 60_000;
    for (const [runId, entry] of this.#runs) {
      const { run } = entry;
      if (run.status === 'running' && run.readers === 0 && now - run.lastReadAt > abandonAfter) {
        run.cancel(`abandoned: nobody was connected for ${Math.round(abandonAfter / 1000)} s`);
      }
      if (run.status !== 'running') {
        entry.endedAt ??= now;
        if (now - entry.endedAt > keep) this.#runs.delete(runId);
      }
    }
  }

  /** Cancels every running run and stops the sweeper. */
  close(): void {
    clearInterval(this.#sweeper);
    for (const { run } of this.#runs.values()) run.cancel('the server is shutting down');
  }
}
