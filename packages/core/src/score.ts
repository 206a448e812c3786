/**
 * Scores: typed evaluations of a conversation, one of its messages or one of its steps (Langfuse's
 * model: a name, a numeric, boolean or categorical value, a source, a comment). A person's thumb, a
 * code check and a model judge's grade are all scores; they differ by `source`. A score's id
 * (`scoreId`, else the event id) names it within its conversation: sending the same id again replaces
 * it (the event with the later timestamp wins; see the store), which is how a person changes a thumb.
 */
import { z } from 'zod';
import { conversationContextSchema } from './conversation.ts';
import { metadataSchema } from './json-value.ts';
import { LIMITS } from './limits.ts';
import { idString } from './primitives.ts';
import { hasUnstorableText } from './well-formed-text.ts';

/** Who gave a score: a person (`human`), a program (`code`) or a model judge (`model`). */
export const SCORE_SOURCES = ['human', 'code', 'model'] as const;
export type ScoreSource = (typeof SCORE_SOURCES)[number];

/** What a score's value is: a number, true/false, or one of a set of labels. */
export const SCORE_DATA_TYPES = ['numeric', 'boolean', 'categorical'] as const;
export type ScoreDataType = (typeof SCORE_DATA_TYPES)[number];

/** A score value as stored and shown: a number, a boolean or a category label. */
export type ScoreValue = number | boolean | string;

// biome-ignore lint/suspicious/noControlCharactersInRegex: grouping labels must not carry control characters
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** A short grouping label (a score's name, a category): printable, storable, at most `max` characters. */
function groupingLabel(max: number) {
  return z
    .string()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((value) => !CONTROL_CHARACTERS.test(value), 'must not contain control characters')
    .refine((value) => !hasUnstorableText(value), 'must not contain a lone surrogate');
}

/** A score's name, e.g. `helpfulness`, `thumbs`, `resolved`. */
export const scoreName = groupingLabel(LIMITS.maxScoreNameLength);

const scoreValueSchema = z.union([
  z
    .number()
    .finite('must be a finite number')
    .min(-LIMITS.maxScoreMagnitude, `must be at least -${LIMITS.maxScoreMagnitude}`)
    .max(LIMITS.maxScoreMagnitude, `must be at most ${LIMITS.maxScoreMagnitude}`),
  z.boolean(),
  groupingLabel(LIMITS.maxScoreCategoryLength),
]);

/** The data type a value has: numbers are numeric, booleans boolean, strings categorical. */
export function scoreDataTypeOf(value: ScoreValue): ScoreDataType {
  if (typeof value === 'number') return 'numeric';
  if (typeof value === 'boolean') return 'boolean';
  return 'categorical';
}

/**
 * Body of a `score` event. `dataType` may be left out (it follows from the value); when given it must
 * match it. A score is on the conversation, or on one of its messages (`messageId`) or steps
 * (`stepId`), never on both. `judgeRunId` links a model's score to the judge's own run (a conversation
 * id). `agentVersion` (from the conversation context) says which version of the agent is scored; when
 * absent, the store takes the scored message's or step's, else the conversation's latest.
 */
export const scoreBodySchema = conversationContextSchema
  .extend({
    /** The score's own id within its conversation; defaults to the event id. Same id again: replaced. */
    scoreId: idString.optional(),
    messageId: idString.optional(),
    stepId: idString.optional(),
    name: scoreName,
    value: scoreValueSchema,
    dataType: z.enum(SCORE_DATA_TYPES).optional(),
    source: z.enum(SCORE_SOURCES).default('code'),
    comment: z
      .string()
      .max(LIMITS.maxCommentLength, `must be at most ${LIMITS.maxCommentLength} characters`)
      .optional(),
    judgeRunId: idString.optional(),
    metadata: metadataSchema.optional(),
  })
  .superRefine((body, ctx) => {
    if (body.messageId !== undefined && body.stepId !== undefined)
      ctx.addIssue({ code: 'custom', path: ['stepId'], message: 'give messageId or stepId, not both' });
    const actual = scoreDataTypeOf(body.value);
    if (body.dataType !== undefined && body.dataType !== actual)
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: `must be ${DATA_TYPE_WORDS[body.dataType]} for dataType ${body.dataType} (got ${DATA_TYPE_WORDS[actual]})`,
      });
  });

const DATA_TYPE_WORDS: Record<ScoreDataType, string> = {
  numeric: 'a number',
  boolean: 'true or false',
  categorical: 'a string',
};

export type ScoreBody = z.infer<typeof scoreBodySchema>;
export type ScoreInput = z.input<typeof scoreBodySchema>;
