/**
 * What a model judge is told and how its answer is read: instructions (the rubric, then the answer
 * format: one JSON object `{ "value": ..., "reason": "..." }`), the conversation as a transcript, and
 * the answer parsed and validated with zod (code fences and text around the object are tolerated).
 */
import type { ConversationDetail, ScoreDataType, ScoreValue } from '@sightline/core';
import { z } from 'zod';
import { SightlineAgentsError } from '../errors.ts';

/** The value a judge may give: its type, and its range or choices. */
export interface JudgeScale {
  dataType: ScoreDataType;
  /** Numeric: the inclusive range (default [0, 1]). */
  range?: readonly [number, number];
  /** Categorical: the labels the judge chooses from. */
  choices?: readonly string[];
}

/** A judge's answer that is not a valid verdict: `cause` holds the zod error or the parse error. */
export class JudgeVerdictError extends SightlineAgentsError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('upstream_failed', message, options);
    this.name = 'JudgeVerdictError';
  }
}

const MAX_MESSAGE_CHARS = 4_000;
const MAX_TRANSCRIPT_CHARS = 40_000;

/** The judge's instructions: the rubric, then the answer format for `scale`. */
export function judgeInstructions(rubric: string, scale: JudgeScale): string {
  return [
    'You grade a conversation between a person (human) and an AI agent (agent).',
    '',
    'Rubric:',
    rubric.trim(),
    '',
    'Answer with one JSON object and nothing else: {"value": <value>, "reason": "<one sentence>"}',
    `value: ${valueWords(scale)}`,
  ].join('\n');
}

function valueWords(scale: JudgeScale): string {
  if (scale.dataType === 'boolean') return 'true or false';
  if (scale.dataType === 'categorical')
    return `one of ${(scale.choices ?? []).map((c) => JSON.stringify(c)).join(', ')}`;
  const [min, max] = scale.range ?? [0, 1];
  return `a number from ${min} to ${max}`;
}

/** The conversation as the judge reads it: one `role: text` block per message, long ones shortened. */
export function judgeTranscript(conversation: ConversationDetail): string {
  const blocks: string[] = [];
  let length = 0;
  for (const message of conversation.messages) {
    const text =
      message.content.length > MAX_MESSAGE_CHARS
        ? `${message.content.slice(0, MAX_MESSAGE_CHARS)} [... shortened]`
        : message.content;
    const block = `${message.role}: ${text}`;
    if (length + block.length > MAX_TRANSCRIPT_CHARS) {
      blocks.push('[... later messages left out]');
      break;
    }
    blocks.push(block);
    length += block.length + 2;
  }
  return blocks.join('\n\n');
}

/** The zod schema of a verdict on `scale`. */
function verdictSchema(scale: JudgeScale) {
  const [min, max] = scale.range ?? [0, 1];
  const value =
    scale.dataType === 'boolean'
      ? z.boolean()
      : scale.dataType === 'numeric'
        ? z.number().min(min).max(max)
        : z.enum((scale.choices ?? []) as [string, ...string[]]);
  return z.object({ value, reason: z.string().max(2_000).default('') });
}

/** Reads a judge's answer: the JSON object in it, validated against `scale`; else a JudgeVerdictError. */
export function parseVerdict(answer: string, scale: JudgeScale): { value: ScoreValue; reason: string } {
  const start = answer.indexOf('{');
  const end = answer.lastIndexOf('}');
  if (start < 0 || end < start)
    throw new JudgeVerdictError(`the judge answered no JSON object: ${clip(answer)}`);
  let json: unknown;
  try {
    json = JSON.parse(answer.slice(start, end + 1));
  } catch (error) {
    throw new JudgeVerdictError(`the judge answered invalid JSON: ${clip(answer)}`, { cause: error });
  }
  const parsed = verdictSchema(scale).safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new JudgeVerdictError(
      `the judge's verdict is invalid: ${issue?.path.join('.')}: ${issue?.message}`,
      {
        cause: parsed.error,
      },
    );
  }
  return parsed.data;
}

const clip = (text: string) => (text.length > 200 ? `${text.slice(0, 200)}...` : text);
