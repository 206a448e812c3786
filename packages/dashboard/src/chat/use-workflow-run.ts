/**
 * A workflow run in a React view: its conversation (restored from this tab, then followed live and
 * resumed after drops), the state of the event stream, answering questions and stopping the run.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError } from '../api/api-error.ts';
import {
  appendEvents,
  describeConversation,
  type WorkflowConversation,
  type WorkflowEventRecord,
} from '../lib/workflow-conversation.ts';
import {
  type GivenAnswer,
  loadAnswers,
  loadRunEvents,
  saveAnswers,
  saveRunEvents,
} from './workflow-storage.ts';
import { followWorkflowRun, type StreamState } from './workflow-stream.ts';
import { answerQuestion, cancelWorkflowRun } from './workflows-client.ts';

/** An answer being sent, or refused by the server. */
export interface AnswerAttempt {
  pending: boolean;
  error: ApiError | null;
}

export interface WorkflowRunView {
  conversation: WorkflowConversation;
  /** The event stream: connecting, live, reconnecting (after a drop), ended, or offline (gave up). */
  stream: { state: StreamState | 'offline'; attempt: number };
  /** Why following the run failed (the run is gone, or the server kept refusing). */
  failure: ApiError | null;
  answers: Record<string, GivenAnswer>;
  attempts: Record<string, AnswerAttempt>;
  answer(questionId: string, answer: string | string[], options?: { secret?: boolean }): void;
  stop(): void;
  stopError: ApiError | null;
  /** Reconnects after the stream gave up. */
  retry(): void;
}

function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError({ status: 0, code: 'stream', message: String((error as Error)?.message ?? error) });
}

export function useWorkflowRun(options: { key: string; runId: string }): WorkflowRunView {
  const { key, runId } = options;
  const [events, setEvents] = useState<WorkflowEventRecord[]>(() => loadRunEvents(runId));
  const [answers, setAnswers] = useState<Record<string, GivenAnswer>>(() => loadAnswers(runId));
  const [attempts, setAttempts] = useState<Record<string, AnswerAttempt>>({});
  const [stream, setStream] = useState<WorkflowRunView['stream']>({ state: 'connecting', attempt: 0 });
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [stopError, setStopError] = useState<ApiError | null>(null);
  const [tick, setTick] = useState(0);
  const conversation = useMemo(() => describeConversation(events), [events]);
  const eventsRef = useRef(events);
  eventsRef.current = events;

  // biome-ignore lint/correctness/useExhaustiveDependencies: tick is the retry trigger
  useEffect(() => {
    const known = describeConversation(eventsRef.current);
    if (known.status !== 'running' && known.status !== 'starting') {
      setStream({ state: 'ended', attempt: 0 });
      return;
    }
    const controller = new AbortController();
    setFailure(null);
    followWorkflowRun({
      key,
      runId,
      lastEventId: known.lastEventId,
      signal: controller.signal,
      onEvents: (received) => setEvents((current) => appendEvents(current, received)),
      onState: (state, attempt) => setStream({ state, attempt }),
    }).catch((error: unknown) => {
      if (controller.signal.aborted) return;
      setFailure(asApiError(error));
      setStream({ state: 'offline', attempt: 0 });
    });
    return () => controller.abort();
  }, [key, runId, tick]);

  useEffect(() => saveRunEvents(runId, events), [runId, events]);

  const answer = useCallback<WorkflowRunView['answer']>(
    (questionId, value, answerOptions = {}) => {
      setAttempts((current) => ({ ...current, [questionId]: { pending: true, error: null } }));
      answerQuestion(key, { runId, questionId, answer: value }).then(
        () => {
          setAnswers((current) => {
            const next = { ...current, [questionId]: answerOptions.secret ? null : value };
            saveAnswers(runId, next);
            return next;
          });
          setAttempts((current) => ({ ...current, [questionId]: { pending: false, error: null } }));
        },
        (error: unknown) =>
          setAttempts((current) => ({
            ...current,
            [questionId]: { pending: false, error: asApiError(error) },
          })),
      );
    },
    [key, runId],
  );

  const stop = useCallback(() => {
    setStopError(null);
    cancelWorkflowRun(key, runId).catch((error: unknown) => setStopError(asApiError(error)));
  }, [key, runId]);

  const retry = useCallback(() => setTick((n) => n + 1), []);

  return { conversation, stream, failure, answers, attempts, answer, stop, stopError, retry };
}
