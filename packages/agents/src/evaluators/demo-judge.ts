/**
 * The offline demo judge: an Agents SDK `Model` that grades by keywords, deterministically, so
 * model-judged evaluators run in tests and demos with no provider key. The keywords are the quoted
 * words of the rubric (`Pass if the agent mentions "refund" or "return".`); it looks for them in the
 * agent's messages of the transcript and answers the JSON verdict the instructions ask for:
 * - boolean: true when a keyword is found;
 * - numeric: the share of keywords found, scaled to the range;
 * - categorical: the first choice when a keyword is found, else the last.
 */
import { type Model, type ModelRequest, type ModelResponse, Usage } from '@openai/agents-core';
import { newId } from '@sightline/core';
import { estimateTokens } from '../demo/demo-model.ts';

/** The model name the demo judge reports. */
export const DEMO_JUDGE_MODEL_NAME = 'sightline-demo-judge';

/** A deterministic, keyword-rule judge model (see the file comment). */
export function demoJudgeModel(): Model & { readonly name: string } {
  return {
    name: DEMO_JUDGE_MODEL_NAME,
    getResponse: async (request: ModelRequest): Promise<ModelResponse> => {
      const instructions = request.systemInstructions ?? '';
      const transcript = typeof request.input === 'string' ? request.input : JSON.stringify(request.input);
      const text = JSON.stringify(grade(instructions, transcript));
      const usage = new Usage({
        requests: 1,
        inputTokens: estimateTokens(instructions + transcript),
        outputTokens: estimateTokens(text),
        totalTokens: estimateTokens(instructions + transcript) + estimateTokens(text),
      });
      return {
        usage,
        responseId: `demo-judge-${newId()}`,
        output: [
          {
            type: 'message',
            role: 'assistant',
            status: 'completed',
            content: [{ type: 'output_text', text }],
          },
        ],
      };
    },
    getStreamedResponse: () => {
      throw new TypeError('the demo judge does not stream');
    },
  };
}

function grade(
  instructions: string,
  transcript: string,
): { value: boolean | number | string; reason: string } {
  const rubric = instructions.split('\nAnswer with one JSON object')[0] ?? instructions;
  const keywords = [...rubric.matchAll(/"([^"]+)"/g)].map((match) => (match[1] ?? '').toLowerCase());
  const agentText = transcript
    .split('\n\n')
    .filter((block) => block.startsWith('agent: '))
    .join('\n')
    .toLowerCase();
  const found = keywords.filter((keyword) => agentText.includes(keyword));
  const reason =
    keywords.length === 0
      ? 'the rubric quotes no keywords'
      : found.length > 0
        ? `the agent said ${found.map((k) => `"${k}"`).join(', ')}`
        : `the agent said none of ${keywords.map((k) => `"${k}"`).join(', ')}`;
  const format = /\nvalue: (.*)$/m.exec(instructions)?.[1] ?? 'true or false';
  const numeric = /^a number from (-?[\d.]+) to (-?[\d.]+)$/.exec(format);
  if (numeric) {
    const [min, max] = [Number(numeric[1]), Number(numeric[2])];
    const share = keywords.length === 0 ? 0 : found.length / keywords.length;
    return { value: min + share * (max - min), reason };
  }
  if (format.startsWith('one of ')) {
    const choices = JSON.parse(`[${format.slice('one of '.length)}]`) as string[];
    return { value: (found.length > 0 ? choices[0] : choices.at(-1)) ?? '', reason };
  }
  return { value: found.length > 0, reason };
}
