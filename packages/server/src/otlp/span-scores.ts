/**
 * Scores from OTLP span events, each a `score` event on the span's step (or on its conversation):
 *
 * - `gen_ai.evaluation.result` (OpenTelemetry GenAI semantic conventions, parented to the span it
 *   evaluates): `gen_ai.evaluation.name` names the score; `gen_ai.evaluation.score.value` is its value
 *   (numeric), else `gen_ai.evaluation.score.label` (categorical); with both, the label rides in the
 *   score's metadata; `gen_ai.evaluation.explanation` is the comment. Source `model` (an evaluator).
 * - `sightline.score`: `sightline.score.name`, `sightline.score.value` (a double or int: numeric, a bool:
 *   boolean, a string: categorical), and optionally `sightline.score.data_type`, `.source` (default
 *   `code`), `.comment`, `.id` (the score id: the same id again replaces it) and `.target`
 *   (`step`, the default, or `conversation`).
 *
 * Either kind may carry `sightline.score.source`, `.id` and `.target`. Event ids come from the trace,
 * span and the event's place, so a re-sent export is a duplicate. A score the collector would refuse
 * (no name, a value of the wrong type) is refused as any mapped event is: quoted in the partial success.
 */
import type { IngestEvent } from '@sightline/core';
import type { Attributes, AttributeValue } from './any-value.ts';
import { str } from './genai-attributes.ts';
import type { FlatSpan, SpanEvent } from './otlp-spans.ts';
import type { TraceContext } from './trace-context.ts';

/** The span event of an OpenTelemetry GenAI evaluation. */
export const GENAI_EVALUATION_EVENT = 'gen_ai.evaluation.result';
/** The span event of a Sightline score. */
export const SIGHTLINE_SCORE_EVENT = 'sightline.score';

interface ScoreFields {
  name: AttributeValue | undefined;
  value: AttributeValue | undefined;
  comment: string | undefined;
  metadata?: Record<string, string>;
  defaultSource: 'model' | 'code';
}

/** A scalar attribute as a score value: numbers and bools as they are, strings as labels. */
function scalar(value: AttributeValue | undefined): AttributeValue | undefined {
  return value === null || typeof value === 'object' ? undefined : value;
}

function genAiFields(a: Attributes): ScoreFields {
  const value = scalar(a['gen_ai.evaluation.score.value']);
  const label = str(a, 'gen_ai.evaluation.score.label');
  const numeric =
    typeof value === 'number' || (typeof value === 'string' && value !== '' && !Number.isNaN(Number(value)));
  return {
    name: a['gen_ai.evaluation.name'],
    value: numeric ? Number(value) : (label ?? value),
    comment: str(a, 'gen_ai.evaluation.explanation'),
    ...(numeric && label !== undefined ? { metadata: { label } } : {}),
    defaultSource: 'model',
  };
}

function sightlineFields(a: Attributes): ScoreFields {
  return {
    name: a['sightline.score.name'],
    value: scalar(a['sightline.score.value']),
    comment: str(a, 'sightline.score.comment'),
    defaultSource: 'code',
  };
}

/** The score event of one span event, or null when the span event is not a score. */
function scoreEvent(
  span: FlatSpan,
  where: { event: SpanEvent; id: string; stepId: string; context: TraceContext },
): IngestEvent | null {
  const { event } = where;
  const kind =
    event.name === GENAI_EVALUATION_EVENT
      ? 'genai'
      : event.name === SIGHTLINE_SCORE_EVENT
        ? 'sightline'
        : null;
  if (!kind) return null;
  const a = event.attributes;
  const fields = kind === 'genai' ? genAiFields(a) : sightlineFields(a);
  const dataType = str(a, 'sightline.score.data_type');
  const scoreId = str(a, 'sightline.score.id');
  const onConversation = str(a, 'sightline.score.target') === 'conversation';
  return {
    id: where.id,
    type: 'score',
    timestamp: new Date(event.timeMs || span.endMs).toISOString(),
    body: {
      ...where.context,
      source: str(a, 'sightline.score.source') ?? fields.defaultSource,
      ...(onConversation ? {} : { stepId: where.stepId }),
      ...(scoreId !== undefined ? { scoreId } : {}),
      name: fields.name,
      value: fields.value,
      ...(dataType !== undefined ? { dataType } : {}),
      ...(fields.comment !== undefined ? { comment: fields.comment } : {}),
      ...(fields.metadata ? { metadata: fields.metadata } : {}),
    },
  } as IngestEvent;
}

/** Where a span's scores go: its step, its trace's conversation fields, and an event id per span event. */
export interface SpanScoreTarget {
  stepId: string;
  context: TraceContext;
  /** The event id of the span's `index`th event (the same on every export of the span). */
  eventId: (index: number) => string;
}

/** The score events of a span's events (in their order), on the span's step. */
export function spanScores(span: FlatSpan, target: SpanScoreTarget): IngestEvent[] {
  const scores: IngestEvent[] = [];
  span.events.forEach((event, index) => {
    const score = scoreEvent(span, {
      event,
      id: target.eventId(index),
      stepId: target.stepId,
      context: target.context,
    });
    if (score) scores.push(score);
  });
  return scores;
}
