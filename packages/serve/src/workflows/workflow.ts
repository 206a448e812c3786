/**
 * Workflows (FastAgency's idea, seed 004): a function that talks with a person while it works.
 * `defineWorkflow({ name, description, params, run: async (io, params) => result })`; inside, `io.say`,
 * `io.ask` and `io.choose` reach the person over WebSocket or SSE + POST, every question carrying an id
 * its answer must repeat.
 */
import type { z } from 'zod';
import { ServeError } from '../errors.ts';

/** A free-text question. */
export interface AskOptions {
  prompt: string;
  /** Answers offered as shortcuts (the person may still type anything). */
  suggestions?: string[];
  /** The answer is a secret: masked in the UI, never tracked. */
  password?: boolean;
}

/** A multiple-choice question. */
export interface ChooseOptions {
  prompt: string;
  choices: string[];
  /** One answer (default) or several. */
  single?: boolean;
}

/** How a workflow reaches the person running it. */
export interface WorkflowIO<TUser = unknown> {
  /** The run's id. */
  readonly runId: string;
  /** The client's conversation id, else the run's id in the user's namespace (`alice:<runId>`). */
  readonly conversationId: string;
  /** What `getUser` returned for the person who started the run. */
  readonly user: TUser | undefined;
  /** Aborted when the run is cancelled or abandoned. */
  readonly signal: AbortSignal;
  /** Tells the person something. */
  say(text: string): void;
  /** Asks a free-text question and waits for the answer. */
  ask(question: AskOptions): Promise<string>;
  /** Asks the person to pick one choice. */
  choose(question: ChooseOptions & { single?: true }): Promise<string>;
  /** Asks the person to pick any number of choices. */
  choose(question: ChooseOptions & { single: false }): Promise<string[]>;
}

/** A workflow definition: what discovery lists and what a run executes. */
export interface Workflow<TParams = unknown, TUser = unknown> {
  name: string;
  description: string;
  /** Validates the run's parameters (a zod schema); none when omitted. */
  params?: z.ZodType<TParams> | undefined;
  /** The workflow: talks through `io`, returns its result (a summary for the person). */
  run(io: WorkflowIO<TUser>, params: TParams): Promise<string>;
}

/** Defines a workflow (checks its name is usable in a URL). */
export function defineWorkflow<TParams = Record<string, never>, TUser = unknown>(
  workflow: Workflow<TParams, TUser>,
): Workflow<TParams, TUser> {
  if (!/^[A-Za-z0-9][\w.-]{0,99}$/.test(workflow.name)) {
    throw new ServeError(
      'invalid_request',
      `workflow name "${workflow.name}" must be 1..100 letters, digits, "_", "-" or "." (it is part of URLs)`,
    );
  }
  return workflow;
}

/**
 * Messages a workflow run sends to the person: WebSocket messages (plus `eventId`) and SSE event data (the
 * event is named by `type`, its SSE id is the event id). Every `ask`/`choose` is answered by one
 * `answered` with its id; a run ends with exactly one of `completed`, `error`, `cancelled` or
 * `interrupted` (the server running it stopped: another node, or the restarted server, tells).
 */
export type WorkflowEvent =
  | {
      type: 'started';
      runId: string;
      workflow: string;
      conversationId: string;
      /** The conversation's id in Sightline: partitioned by user (`alice:chat-1`); always sent. */
      trackedConversationId?: string;
    }
  | { type: 'message'; text: string }
  | { type: 'ask'; questionId: string; prompt: string; suggestions: string[]; password: boolean }
  | { type: 'choose'; questionId: string; prompt: string; choices: string[]; single: boolean }
  | { type: 'answered'; questionId: string }
  | { type: 'completed'; result: string }
  | { type: 'error'; code: string; message: string; issues?: Array<{ path: string; message: string }> }
  | { type: 'cancelled'; reason: string }
  | { type: 'interrupted'; reason: string };
