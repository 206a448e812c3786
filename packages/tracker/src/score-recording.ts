/**
 * `conversation.score(...)` and `tracker.score(...)`: a score is checked against the collector's rules
 * (core's scoreBodySchema) when it is tracked, so a bad one is reported at once, by field, to `onError`
 * (a TrackerError `invalid_request` with its issues) and counted as dropped, instead of being refused
 * by the collector later. Scores are rare: the check costs what a zod parse costs.
 */
import { type FieldIssue, scoreBodySchema } from '@sightline/core';
import { TrackerError } from './errors.ts';
import {
  BASE_EVENT_BYTES,
  type ConversationScope,
  estimateValueBytes,
  OPAQUE_VALUE_BYTES,
} from './raw-event.ts';
import { type TrackerCore, toMillis } from './tracker-core.ts';
import type { ScoreOptions } from './tracking-options.ts';

/** What a score is recorded on: a conversation's id and the fields its events carry. */
export interface ScoreTarget {
  readonly core: TrackerCore;
  readonly scope: ConversationScope;
}

/** The problems of a score, each naming its field as `score.<field>`; empty when the collector takes it. */
export function scoreIssues(conversationId: string, options: ScoreOptions): FieldIssue[] {
  if (!options || typeof options !== 'object')
    return [{ path: 'score', message: 'must be an object with a name and a value' }];
  const { timestamp: _at, ...fields } = options;
  const parsed = scoreBodySchema.safeParse({ ...fields, conversationId });
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => ({
    path: ['score', ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}

/** Checks and records a score event on `target`; returns the score id (its `scoreId`, else the event id). */
export function recordScore(target: ScoreTarget, options: ScoreOptions): string {
  const { core } = target;
  const id = core.ids.next();
  const scoreId = typeof options?.scoreId === 'string' ? options.scoreId : id;
  const issues = scoreIssues(target.scope.conversationId, options);
  const first = issues[0];
  if (first) {
    if (!core.enabled) return scoreId;
    core.stats.drop('invalid_input');
    core.report(new TrackerError('invalid_request', `${first.path}: ${first.message}`, { issues }));
    return scoreId;
  }
  core.record({
    seq: 0,
    id,
    kind: 'score',
    ts: options.timestamp === undefined ? core.ids.now : toMillis(options.timestamp, core.ids.now),
    ctx: target.scope,
    size:
      BASE_EVENT_BYTES + estimateValueBytes(options.comment) + (options.metadata ? OPAQUE_VALUE_BYTES : 0),
    scoreId: options.scoreId,
    messageId: options.messageId,
    stepId: options.stepId,
    name: options.name,
    value: options.value,
    dataType: options.dataType,
    source: options.source,
    comment: options.comment,
    judgeRunId: options.judgeRunId,
    metadata: options.metadata,
  });
  return scoreId;
}
