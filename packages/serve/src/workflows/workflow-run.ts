/**
 * One workflow run: executes the workflow with an `io` whose questions wait for answers carrying their
 * question id, records every event in a FrameLog (what WebSocket and SSE clients read, and resume from),
 * and tracks the conversation: what the workflow says and asks as agent messages, the answers as human
 * messages (secrets redacted).
 */
import { isSightlineError, newId, type SightlineError } from '@sightline/core';
import type { ConversationHandle, Tracker } from '@sightline/tracker';
import { ServeError } from '../errors.ts';
import { FrameLog } from '../http/frame-log.ts';
import type { ServeNode } from '../nodes/serve-node.ts';
import { trackedConversationId } from '../sessions/tracked-conversation.ts';
import type { AskOptions, ChooseOptions, Workflow, WorkflowEvent, WorkflowIO } from './workflow.ts';

/** `interrupted`: the server running it stopped before it ended (told by another node or after a restart). */
export type WorkflowRunStatus = 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted';

interface Question {
  kind: 'ask' | 'choose';
  choices: string[];
  single: boolean;
  password: boolean;
  resolve: (answer: string | string[]) => void;
}

export interface WorkflowRunInit<TUser> {
  workflow: Workflow<unknown, TUser>;
  params: unknown;
  user: TUser | undefined;
  userId: string;
  conversationId?: string | undefined;
  tracker: Tracker | undefined;
  /** Where the run is recorded (status and events) and published for other nodes. */
  node?: ServeNode | undefined;
  maxAnswerChars: number;
  /** Receives what a workflow threw that was not a SightlineError (the client only sees a generic error). */
  onError?: ((error: unknown, run: { workflow: string; runId: string }) => void) | undefined;
}

/** A running (or finished) workflow. */
export class WorkflowRun<TUser = unknown> {
  readonly runId = newId();
  readonly workflow: string;
  readonly userId: string;
  readonly conversationId: string;
  /** Where the run is tracked: the user's own conversation (`alice:chat-1`; see tracked-conversation.ts). */
  readonly trackedConversationId: string;
  readonly frames = new FrameLog();
  readonly createdAt = new Date().toISOString();
  status: WorkflowRunStatus = 'running';
  result: string | undefined;
  /** Readers attached now (WebSocket or SSE); a run nobody reads may be abandoned. */
  readers = 0;
  lastReadAt = Date.now();
  readonly #controller = new AbortController();
  readonly #questions = new Map<string, Question>();
  readonly #conversation: ConversationHandle | undefined;
  readonly #maxAnswerChars: number;
  readonly #onError: WorkflowRunInit<TUser>['onError'];
  readonly #node: ServeNode | undefined;
  readonly done: Promise<void>;

  constructor(init: WorkflowRunInit<TUser>) {
    this.workflow = init.workflow.name;
    this.userId = init.userId;
    // Without a client's id, the run's id in the user's namespace (tracked under itself).
    this.conversationId = init.conversationId ?? trackedConversationId(init.userId, this.runId);
    this.trackedConversationId = trackedConversationId(init.userId, this.conversationId);
    this.#maxAnswerChars = init.maxAnswerChars;
    this.#onError = init.onError;
    this.#node = init.node;
    this.frames.sink = init.node?.publisher(this.runId);
    this.#record({});
    this.#conversation = init.tracker?.conversation(this.trackedConversationId, {
      source: 'api',
      name: `workflow ${this.workflow}`,
      ...(init.userId ? { customerId: init.userId } : {}),
    });
    this.#emit({
      type: 'started',
      runId: this.runId,
      workflow: this.workflow,
      conversationId: this.conversationId,
      trackedConversationId: this.trackedConversationId,
    });
    const execute = () => this.#execute(init.workflow, init.params, init.user);
    this.done =
      init.tracker && this.#conversation
        ? init.tracker.runInConversation(this.#conversation, execute)
        : execute();
  }

  /** Questions waiting for an answer. */
  get openQuestions(): string[] {
    return [...this.#questions.keys()];
  }

  /**
   * Answers question `questionId`. Refuses (never guesses) an id that is not waiting, and an answer that
   * is not a string, not one of the choices, or too long.
   */
  answer(questionId: string, answer: unknown): void {
    const question = this.#questions.get(questionId);
    if (!question) {
      const waiting = this.openQuestions;
      throw new ServeError('invalid_request', `question "${questionId}" is not waiting for an answer`, {
        issues: [
          {
            path: 'questionId',
            message: waiting.length > 0 ? `must be one of: ${waiting.join(', ')}` : 'no question is waiting',
          },
        ],
      });
    }
    const value = this.#check(question, answer);
    this.#questions.delete(questionId);
    this.#conversation?.trackHumanMessage(
      question.password ? '[redacted]' : Array.isArray(value) ? value.join(', ') : value,
      { metadata: { workflow: this.workflow, runId: this.runId, questionId } },
    );
    this.#emit({ type: 'answered', questionId });
    question.resolve(value);
  }

  /** Stops the run: open questions are abandoned and `io.signal` aborts. */
  cancel(reason: string): void {
    if (this.status !== 'running') return;
    this.#controller.abort(new ServeError('conflict', reason));
    this.#finish('cancelled', { type: 'cancelled', reason });
  }

  async #execute(
    workflow: Workflow<unknown, TUser>,
    params: unknown,
    user: TUser | undefined,
  ): Promise<void> {
    try {
      const run = this.#conversation
        ? this.#conversation.step({ type: 'run', name: `workflow:${workflow.name}`, input: params }, () =>
            workflow.run(this.#io(user), params),
          )
        : workflow.run(this.#io(user), params);
      const result = await Promise.race([run, this.#aborted()]);
      if (this.status !== 'running') return;
      this.result = String(result);
      this.#conversation?.trackAgentMessage(this.result, {
        metadata: { workflow: this.workflow, runId: this.runId, kind: 'result' },
      });
      this.#finish('completed', { type: 'completed', result: this.result });
    } catch (error) {
      if (this.status !== 'running') return;
      const failure = this.#describeFailure(error);
      this.#conversation?.trackAction({
        name: 'workflow_failed',
        error,
        metadata: { workflow: this.workflow, runId: this.runId, code: failure.code },
      });
      this.#finish('failed', {
        type: 'error',
        code: failure.code,
        message: failure.message,
        ...(failure.issues.length > 0 ? { issues: failure.issues } : {}),
      });
    }
  }

  /**
   * What the person sees of a failure: a SightlineError as it is (the workflow meant it), anything else
   * as a generic internal error (its message may hold internals), reported to `onError`.
   */
  #describeFailure(error: unknown): SightlineError {
    if (isSightlineError(error)) return error;
    try {
      this.#onError?.(error, { workflow: this.workflow, runId: this.runId });
    } catch {
      // A failing error handler must not change how the run ends.
    }
    return new ServeError(
      'internal',
      `workflow "${this.workflow}" (run ${this.runId}) failed; see the server log and the trace`,
      { cause: error },
    );
  }

  #io(user: TUser | undefined): WorkflowIO<TUser> {
    const run = this;
    return {
      runId: this.runId,
      conversationId: this.conversationId,
      user,
      signal: this.#controller.signal,
      say(text: string) {
        run.#assertRunning();
        run.#track(text, { kind: 'say' });
        run.#emit({ type: 'message', text: String(text) });
      },
      ask(question: AskOptions) {
        return run.#ask(question) as Promise<string>;
      },
      choose: ((question: ChooseOptions) => run.#choose(question)) as WorkflowIO<TUser>['choose'],
    };
  }

  #ask(question: AskOptions): Promise<string | string[]> {
    this.#assertRunning();
    const questionId = newId();
    const password = question.password === true;
    const suggestions = question.suggestions ?? [];
    this.#track(question.prompt, { kind: 'ask', questionId, suggestions });
    return this.#wait(questionId, { kind: 'ask', choices: suggestions, single: true, password }, () =>
      this.#emit({ type: 'ask', questionId, prompt: question.prompt, suggestions, password }),
    );
  }

  #choose(question: ChooseOptions): Promise<string | string[]> {
    this.#assertRunning();
    if (question.choices.length === 0)
      throw new ServeError('invalid_request', 'io.choose needs at least one choice');
    const questionId = newId();
    const single = question.single !== false;
    this.#track(question.prompt, { kind: 'choose', questionId, choices: question.choices });
    return this.#wait(
      questionId,
      { kind: 'choose', choices: question.choices, single, password: false },
      () =>
        this.#emit({
          type: 'choose',
          questionId,
          prompt: question.prompt,
          choices: question.choices,
          single,
        }),
    );
  }

  /** Registers the question, announces it, and waits for its answer or the run's end (no listener left behind). */
  #wait(
    questionId: string,
    question: Omit<Question, 'resolve'>,
    announce: () => void,
  ): Promise<string | string[]> {
    const signal = this.#controller.signal;
    return new Promise<string | string[]>((resolve, reject) => {
      const abandon = () => reject(signal.reason);
      signal.addEventListener('abort', abandon, { once: true });
      this.#questions.set(questionId, {
        ...question,
        resolve: (answer) => {
          signal.removeEventListener('abort', abandon);
          resolve(answer);
        },
      });
      announce();
    });
  }

  #check(question: Question, answer: unknown): string | string[] {
    const invalid = (message: string) =>
      new ServeError('invalid_request', `answer ${message}`, { issues: [{ path: 'answer', message }] });
    if (question.kind === 'ask' || question.single) {
      if (typeof answer !== 'string') throw invalid('must be a string');
      if (answer.length > this.#maxAnswerChars)
        throw invalid(`must be at most ${this.#maxAnswerChars} characters`);
      if (question.kind === 'choose' && !question.choices.includes(answer)) {
        throw invalid(`must be one of: ${question.choices.join(', ')}`);
      }
      return answer;
    }
    if (!Array.isArray(answer) || !answer.every((item) => typeof item === 'string')) {
      throw invalid('must be an array of choices');
    }
    const unknown = answer.find((item) => !question.choices.includes(item));
    if (unknown !== undefined) throw invalid(`"${unknown}" is not one of: ${question.choices.join(', ')}`);
    return [...new Set(answer)];
  }

  #aborted(): Promise<never> {
    const signal = this.#controller.signal;
    return new Promise((_, reject) => {
      if (signal.aborted) reject(signal.reason);
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  }

  #assertRunning(): void {
    if (this.status !== 'running')
      throw new ServeError('conflict', `workflow run ${this.runId} is ${this.status}`);
  }

  #track(text: string, metadata: Record<string, unknown>): void {
    this.#conversation?.trackAgentMessage(String(text), {
      metadata: { workflow: this.workflow, runId: this.runId, ...metadata },
    });
  }

  #emit(event: WorkflowEvent): void {
    const data = JSON.stringify(event);
    const eventId = this.frames.append(data, event.type);
    this.#node?.recordEvents([{ runId: this.runId, eventId, data }]);
  }

  /** Records the run's state (with what it ended with) in the node's run store. */
  #record(data: Record<string, unknown>): void {
    this.#node?.record({
      runId: this.runId,
      kind: 'workflow',
      name: this.workflow,
      userId: this.userId,
      conversationId: this.conversationId,
      status: this.status,
      nodeId: this.status === 'running' ? this.#node.nodeId : null,
      data,
      createdAt: this.createdAt,
    });
  }

  #finish(status: WorkflowRunStatus, event: WorkflowEvent): void {
    this.status = status;
    this.#questions.clear();
    this.#emit(event);
    this.#record(this.result === undefined ? { end: event } : { result: this.result, end: event });
    this.frames.close();
    this.#conversation?.update({ endedAt: new Date() });
  }
}
