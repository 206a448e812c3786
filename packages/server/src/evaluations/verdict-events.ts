/**
 * An evaluator's verdict as ingest events: the score on the evaluated conversation (source `code` or
 * `model`, id `eval:<evaluator>` so a later verdict replaces it) and, for a model judge, its run as a
 * conversation of its own (source `sightline-judge`: the rubric as a system message, the transcript it
 * was shown, its answer and an `llm` step with the model and tokens) that the score's `judgeRunId` names.
 * Each event is validated as if it came through /v1/ingest.
 */
import {
  type EvaluationVerdict,
  type Evaluator,
  newId,
  type ParsedEvent,
  parseIngestEvent,
  ValidationError,
} from '@sightline/core';

/** The `source` of judge-run conversations (the background runner does not evaluate them). */
export const JUDGE_RUN_SOURCE = 'sightline-judge';

/** The score id an evaluator's verdict on a conversation has: one score per evaluator and conversation. */
export const evaluationScoreId = (evaluatorName: string): string => `eval:${evaluatorName}`;

const iso = (at: number) => new Date(at).toISOString();

/**
 * The events that store `verdict` of `evaluator` on `scored`; throws a ValidationError if one is invalid.
 * The judge run is in the scored conversation's environment, so its cost shows with it.
 */
export function verdictEvents(
  evaluator: Evaluator,
  scored: { id: string; environment: string },
  verdict: EvaluationVerdict,
): ParsedEvent[] {
  const conversationId = scored.id;
  const now = Date.now();
  const run = verdict.judgeRun;
  const raw: unknown[] = run ? judgeRunEvents(evaluator, scored, verdict) : [];
  raw.push({
    id: newId(),
    type: 'score',
    timestamp: iso(now),
    body: {
      conversationId,
      scoreId: evaluationScoreId(evaluator.name),
      name: evaluator.name,
      value: verdict.value,
      ...(evaluator.dataType === undefined ? {} : { dataType: evaluator.dataType }),
      source: evaluator.source,
      ...(verdict.comment === undefined ? {} : { comment: verdict.comment }),
      ...(run ? { judgeRunId: run.conversationId } : {}),
    },
  });
  return raw.map((candidate, index) => {
    const parsed = parseIngestEvent(candidate, index);
    if ('issues' in parsed) throw new ValidationError(parsed.issues);
    return parsed;
  });
}

function judgeRunEvents(
  evaluator: Evaluator,
  scored: { id: string; environment: string },
  verdict: EvaluationVerdict,
): unknown[] {
  const run = verdict.judgeRun;
  if (!run) return [];
  const context = {
    conversationId: run.conversationId,
    source: JUDGE_RUN_SOURCE,
    environment: scored.environment,
  };
  const event = (type: string, at: number, body: Record<string, unknown>) => ({
    id: newId(),
    type,
    timestamp: iso(at),
    body: { ...context, ...body },
  });
  return [
    event('conversation', run.startedAt, {
      name: `${evaluator.name} judge`,
      startedAt: iso(run.startedAt),
      endedAt: iso(run.endedAt),
      metadata: { evaluator: evaluator.name, evaluatedConversationId: scored.id },
      tags: ['judge'],
    }),
    event('message', run.startedAt, { role: 'system', content: run.instructions }),
    event('message', run.startedAt, { role: 'human', content: run.prompt }),
    event('step', run.startedAt, {
      stepId: `${run.conversationId}-llm`,
      type: 'llm',
      name: run.model,
      startedAt: iso(run.startedAt),
      endedAt: iso(run.endedAt),
      durationMs: run.endedAt - run.startedAt,
      usage: { model: run.model, ...(run.provider ? { provider: run.provider } : {}), ...run.usage },
    }),
    event('message', run.endedAt, { role: 'agent', content: run.answer }),
  ];
}
