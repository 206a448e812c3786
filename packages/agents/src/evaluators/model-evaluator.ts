/**
 * Model-judged evaluators (LLM-as-a-judge, as Langfuse and Phoenix have them): a judge model grades a
 * conversation against a rubric and answers a JSON verdict, validated with zod. The judge's run (its
 * instructions, the transcript, its answer, model and tokens) goes back with the verdict, and the
 * runner in @sightline/server stores it as a conversation of its own that the score's `judgeRunId` names.
 */
import { type Evaluator, newId, type ScoreDataType } from '@sightline/core';
import { askJudge, type JudgeModel } from './judge-model.ts';
import { judgeInstructions, judgeTranscript, parseVerdict } from './judge-prompt.ts';

/** The options of `modelEvaluator`. */
export interface ModelEvaluatorOptions {
  /** The score's name, e.g. `helpfulness`. */
  name: string;
  /** The judge: an Agents SDK `Model` (e.g. `demoJudgeModel()`) or an AI SDK language model. */
  model: JudgeModel;
  /** What to grade and how, in words. */
  rubric: string;
  /** The verdict's type (default `boolean`). */
  dataType?: ScoreDataType;
  /** Numeric: the inclusive range the judge answers in (default [0, 1]). */
  range?: readonly [number, number];
  /** Categorical: the labels the judge chooses from (required for `categorical`). */
  choices?: readonly string[];
  /** The model's name in the judge run, when the model does not tell it. */
  modelName?: string;
}

/** An evaluator whose verdicts a judge model gives; its scores have source `model` and a `judgeRunId`. */
export function modelEvaluator(options: ModelEvaluatorOptions): Evaluator {
  const dataType = options.dataType ?? 'boolean';
  if (dataType === 'categorical' && (options.choices?.length ?? 0) === 0)
    throw new TypeError('modelEvaluator: a categorical judge needs `choices`');
  const scale = {
    dataType,
    ...(options.range ? { range: options.range } : {}),
    ...(options.choices ? { choices: options.choices } : {}),
  };
  const instructions = judgeInstructions(options.rubric, scale);
  return {
    name: options.name,
    source: 'model',
    dataType,
    evaluate: async (conversation, context) => {
      const prompt = judgeTranscript(conversation);
      const startedAt = Date.now();
      const answer = await askJudge(options.model, {
        instructions,
        prompt,
        ...(context.signal ? { signal: context.signal } : {}),
        ...(options.modelName ? { modelName: options.modelName } : {}),
      });
      const verdict = parseVerdict(answer.text, scale);
      return {
        value: verdict.value,
        ...(verdict.reason ? { comment: verdict.reason } : {}),
        judgeRun: {
          conversationId: `judge-${newId()}`,
          model: answer.model,
          ...(answer.provider ? { provider: answer.provider } : {}),
          instructions,
          prompt,
          answer: answer.text,
          startedAt,
          endedAt: Date.now(),
          ...(answer.usage ? { usage: answer.usage } : {}),
        },
      };
    },
  };
}
