/**
 * Datasets and experiments (issue 15 item 4): a dataset keeps conversations' human turns and the
 * answers given then; an experiment replays a dataset against an agent version, each item a new
 * conversation; a comparison sets an experiment's answers, tool calls, cost, latency and scores
 * beside the source conversations' or another experiment's. Response schemas (the types are
 * inferred from them) and the bodies of the write routes.
 */
import { z } from 'zod';
import { LIMITS } from './limits.ts';
import { idString } from './primitives.ts';
import { conversationListQuerySchema } from './query.ts';
import { hasUnstorableText } from './well-formed-text.ts';

/** Most conversations one `POST /v1/datasets/:id/items` adds. */
export const MAX_DATASET_ITEMS_PER_ADD = 1_000;
/** Longest dataset or experiment name. */
export const MAX_DATASET_NAME_LENGTH = 200;
/** Longest dataset description. */
export const MAX_DATASET_DESCRIPTION_LENGTH = 2_000;
/** Longest experiment item status. */
export const MAX_EXPERIMENT_STATUS_LENGTH = 200;

/** One human turn and what the agent answered it at capture time (`null`: no answer). */
export const datasetTurnSchema = z
  .object({
    human: z.string(),
    expected: z.string().nullable().describe("The agent's answer at capture time; null: none"),
  })
  .meta({ id: 'DatasetTurn' });

export type DatasetTurn = z.output<typeof datasetTurnSchema>;

/** A dataset: a named, curated list of items. */
export const datasetSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    itemCount: z.number(),
    experimentCount: z.number(),
    createdAt: z.string(),
    updatedAt: z.string().describe('Last change to the dataset, its items or its experiments'),
  })
  .meta({ id: 'Dataset' });

export type Dataset = z.output<typeof datasetSchema>;

/** One dataset item: a conversation's human turns and observed answers. */
export const datasetItemSchema = z
  .object({
    id: z.string(),
    datasetId: z.string(),
    sourceConversationId: z
      .string()
      .nullable()
      .describe('The conversation it was taken from (null: not from a stored conversation)'),
    turns: z.array(datasetTurnSchema),
    createdAt: z.string(),
  })
  .meta({ id: 'DatasetItem' });

export type DatasetItem = z.output<typeof datasetItemSchema>;

/** An experiment: one replay of a dataset, against an agent (version). */
export const experimentSchema = z
  .object({
    id: z.string(),
    datasetId: z.string(),
    name: z.string(),
    agent: z.string().nullable().describe('The served agent replayed'),
    agentVersion: z.string().nullable().describe('The agent version that answered, when known'),
    createdAt: z.string(),
    itemCount: z.number().describe('Items with a recorded conversation'),
  })
  .meta({ id: 'Experiment' });

export type Experiment = z.output<typeof experimentSchema>;

/** What an experiment produced for one dataset item: the new conversation and how its replay ended. */
export const experimentItemSchema = z
  .object({
    itemId: z.string(),
    conversationId: z.string(),
    status: z.string().describe("'completed', or where it stopped, e.g. 'turn 2: awaiting_approval'"),
  })
  .meta({ id: 'ExperimentItem' });

export type ExperimentItem = z.output<typeof experimentItemSchema>;

/** `GET /v1/datasets/:id`: a dataset, its items and its experiments (newest first). */
export const datasetDetailSchema = z
  .object({
    dataset: datasetSchema,
    items: z.array(datasetItemSchema),
    experiments: z.array(experimentSchema),
  })
  .meta({ id: 'DatasetDetail' });

export type DatasetDetail = z.output<typeof datasetDetailSchema>;

/** `GET /v1/datasets`: every dataset of the project, most recently created first. */
export const datasetListSchema = z.object({ items: z.array(datasetSchema) }).meta({ id: 'DatasetList' });

export type DatasetList = z.output<typeof datasetListSchema>;

/** `GET /v1/experiments/:id`: an experiment and its items. */
export const experimentDetailSchema = z
  .object({ experiment: experimentSchema, items: z.array(experimentItemSchema) })
  .meta({ id: 'ExperimentDetail' });

export type ExperimentDetail = z.output<typeof experimentDetailSchema>;

/** Why `POST /v1/datasets/:id/items` did not add a conversation. */
export const DATASET_SKIP_REASONS = ['already_in_dataset', 'no_human_turn', 'not_found'] as const;
export type DatasetSkipReason = (typeof DATASET_SKIP_REASONS)[number];

/** `POST /v1/datasets/:id/items`: the items added and the conversations not added, with why. */
export const datasetItemsAddedSchema = z
  .object({
    added: z.array(datasetItemSchema),
    skipped: z.array(z.object({ conversationId: z.string(), reason: z.enum(DATASET_SKIP_REASONS) })),
  })
  .meta({ id: 'DatasetItemsAdded' });

export type DatasetItemsAdded = z.output<typeof datasetItemsAddedSchema>;

/** `DELETE /v1/datasets/:id`: how many items and experiments went with it. */
export const datasetDeletedSchema = z
  .object({ deleted: z.object({ items: z.number(), experiments: z.number() }) })
  .meta({ id: 'DatasetDeleted' });

export type DatasetDeleted = z.output<typeof datasetDeletedSchema>;

/** One side of a compared item: what a conversation (source or replay) answered and cost. */
export const comparisonSideSchema = z
  .object({
    conversationId: z.string(),
    status: z
      .string()
      .describe("The experiment item's status ('completed', 'turn 2: awaiting_approval'), or 'source'"),
    agentVersion: z.string().nullable(),
    answers: z.array(z.string().nullable()).describe("The agent's answer to each human turn (null: none)"),
    toolCalls: z.array(z.string()).describe('Tool steps by name, in order'),
    toolErrors: z.number(),
    costUsd: z.number().nullable(),
    durationMs: z.number().nullable(),
    scores: z
      .record(z.string(), z.union([z.number(), z.string()]))
      .describe("Conversation-level scores by name (booleans as 1 and 0; the tag 'experiment' left out)"),
  })
  .meta({ id: 'ComparisonSide' });

export type ComparisonSide = z.output<typeof comparisonSideSchema>;

/** One dataset item on both sides of a comparison. */
export const comparisonItemSchema = z
  .object({
    itemId: z.string(),
    sourceConversationId: z.string().nullable(),
    humanTurns: z.array(z.string()),
    base: comparisonSideSchema
      .nullable()
      .describe('null: the base has no conversation for this item (none recorded, or no longer stored)'),
    candidate: comparisonSideSchema
      .nullable()
      .describe('null: the candidate has no conversation for this item (none recorded, or no longer stored)'),
    answersChanged: z.boolean(),
    toolCallsChanged: z.boolean(),
    scoreDeltas: z
      .record(z.string(), z.number())
      .describe('Candidate minus base, for each numeric (or boolean) score on both sides'),
  })
  .meta({ id: 'ComparisonItem' });

export type ComparisonItem = z.output<typeof comparisonItemSchema>;

/** The totals of one side of a comparison. */
export const comparisonSummarySchema = z
  .object({
    items: z.number().describe('Items with a conversation on this side'),
    meanScores: z.record(z.string(), z.number()).describe('Mean of each numeric (or boolean) score'),
    costUsd: z.number(),
    durationMsP50: z.number().nullable(),
    toolErrors: z.number(),
  })
  .meta({ id: 'ComparisonSummary' });

export type ComparisonSummary = z.output<typeof comparisonSummarySchema>;

/** `GET /v1/experiments/compare`: a candidate experiment beside its base, item by item. */
export const experimentComparisonSchema = z
  .object({
    dataset: datasetSchema,
    base: experimentSchema.nullable().describe("null: the base is the items' source conversations"),
    candidate: experimentSchema,
    summary: z.object({ base: comparisonSummarySchema, candidate: comparisonSummarySchema }),
    changedItems: z.number().describe('Items whose answers or tool calls changed'),
    items: z.array(comparisonItemSchema),
  })
  .meta({ id: 'ExperimentComparison' });

export type ExperimentComparison = z.output<typeof experimentComparisonSchema>;

// Request bodies

/** A name or description both databases can store. */
function storableText(max: number, what: string) {
  return z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((value) => !hasUnstorableText(value), `${what} must not contain U+0000 or a lone surrogate`);
}

/** Body of `POST /v1/datasets`. */
export const datasetCreateSchema = z
  .strictObject({
    name: storableText(MAX_DATASET_NAME_LENGTH, 'a name'),
    description: storableText(MAX_DATASET_DESCRIPTION_LENGTH, 'a description').nullable().optional(),
  })
  .meta({ id: 'DatasetCreate' });

export type DatasetCreate = z.input<typeof datasetCreateSchema>;

/**
 * Body of `POST /v1/datasets/:id/items`: named conversations, or the list's filters (values as in its
 * query string) up to `max`, most recently active first.
 */
export const datasetItemsAddSchema = z
  .strictObject({
    conversationIds: z
      .array(idString)
      .min(1, 'must name at least one conversation')
      .max(MAX_DATASET_ITEMS_PER_ADD, `must name at most ${MAX_DATASET_ITEMS_PER_ADD} conversations`)
      .optional(),
    filter: conversationListQuerySchema
      .omit({ limit: true, cursor: true })
      .optional()
      .describe('The filters of `GET /v1/conversations`, values as in its query string'),
    max: z
      .number()
      .int()
      .min(1, 'must be at least 1')
      .max(MAX_DATASET_ITEMS_PER_ADD, `must be at most ${MAX_DATASET_ITEMS_PER_ADD}`)
      .default(100)
      .describe('With `filter`: the most conversations added'),
  })
  .meta({ id: 'DatasetItemsAdd' });

export type DatasetItemsAdd = z.input<typeof datasetItemsAddSchema>;

/** Body of `POST /v1/experiments`. */
export const experimentCreateSchema = z
  .strictObject({
    datasetId: idString,
    name: storableText(MAX_DATASET_NAME_LENGTH, 'a name'),
    agent: storableText(LIMITS.maxNameLength, 'an agent').nullable().optional(),
    agentVersion: storableText(LIMITS.maxNameLength, 'an agent version').nullable().optional(),
  })
  .meta({ id: 'ExperimentCreate' });

export type ExperimentCreate = z.input<typeof experimentCreateSchema>;

/** Body of `PUT /v1/experiments/:id/items/:itemId`. */
export const experimentItemPutSchema = z
  .strictObject({
    conversationId: idString,
    status: storableText(MAX_EXPERIMENT_STATUS_LENGTH, 'a status'),
  })
  .meta({ id: 'ExperimentItemPut' });

export type ExperimentItemPut = z.input<typeof experimentItemPutSchema>;
