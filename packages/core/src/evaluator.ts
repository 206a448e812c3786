/**
 * Evaluators: what scores a conversation after the fact. A code evaluator is a function over the
 * conversation; a model evaluator asks a judge model (in @sightline/agents) and hands back the judge's
 * own run, which the runner (in @sightline/server) stores as a conversation of its own so the score's
 * `judgeRunId` links to it. The contract lives here because both packages use it and neither may
 * depend on the other.
 */
import type { ConversationDetail } from './conversation-schemas.ts';
import type { ScoreDataType, ScoreValue } from './score.ts';

/** A judge model's run: what it was asked and what it answered, stored as its own conversation. */
export interface JudgeRun {
  /** The judge run's conversation id (the score's `judgeRunId`). */
  conversationId: string;
  /** The judge model's name, e.g. `gpt-4o-mini`. */
  model: string;
  provider?: string;
  /** The judge's instructions (its system prompt: the rubric and the answer format). */
  instructions: string;
  /** What the judge was shown: the conversation to grade. */
  prompt: string;
  /** The judge's raw answer. */
  answer: string;
  /** Epoch milliseconds. */
  startedAt: number;
  endedAt: number;
  usage?: { inputTokens?: number; outputTokens?: number };
}

/** An evaluator's verdict on one conversation: the score's value, a reason, and the judge run if any. */
export interface EvaluationVerdict {
  value: ScoreValue;
  comment?: string;
  judgeRun?: JudgeRun;
}

/** What an evaluator gets besides the conversation. */
export interface EvaluationContext {
  /** Aborted when the runner stops. */
  signal?: AbortSignal;
}

/** Scores conversations: its `name` is the score's name; `undefined` means "nothing to score here". */
export interface Evaluator {
  readonly name: string;
  /** The score's source: `code` for a program, `model` for a model judge. */
  readonly source: 'code' | 'model';
  /** The value's type, checked against each verdict when given. */
  readonly dataType?: ScoreDataType;
  evaluate(
    conversation: ConversationDetail,
    context: EvaluationContext,
  ): EvaluationVerdict | undefined | Promise<EvaluationVerdict | undefined>;
}

/** The options of `codeEvaluator`. */
export interface CodeEvaluatorOptions {
  name: string;
  dataType?: ScoreDataType;
  evaluate(
    conversation: ConversationDetail,
    context: EvaluationContext,
  ):
    | { value: ScoreValue; comment?: string }
    | undefined
    | Promise<{ value: ScoreValue; comment?: string } | undefined>;
}

/** An evaluator that is a function over a conversation; its scores have source `code`. */
export function codeEvaluator(options: CodeEvaluatorOptions): Evaluator {
  return {
    name: options.name,
    source: 'code',
    ...(options.dataType === undefined ? {} : { dataType: options.dataType }),
    evaluate: async (conversation, context) => {
      const verdict = await options.evaluate(conversation, context);
      if (verdict === undefined) return undefined;
      return verdict.comment === undefined
        ? { value: verdict.value }
        : { value: verdict.value, comment: verdict.comment };
    },
  };
}
