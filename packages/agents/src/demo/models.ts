/**
 * Which model to use when the app does not say: OpenAI's (through the SDK) when a key is set, else
 * the offline demo model. Any AI SDK provider plugs in with `aisdk()` (see the README).
 */
import { getDefaultModel, type Model } from '@openai/agents-core';
import { type DemoModelOptions, demoModel } from './demo-model.ts';

export interface ModelChoice {
  /** A model name for the SDK's OpenAI provider, or a `Model` instance. */
  model: Model | string;
  /** True when this is the offline demo model. */
  demo: boolean;
  /** One line for logs and banners, e.g. `OpenAI gpt-4.1 (OPENAI_API_KEY)`. */
  description: string;
}

/**
 * Chooses a model from the environment: `OPENAI_API_KEY` -> OpenAI (`OPENAI_DEFAULT_MODEL` or the SDK's
 * default model); otherwise the demo model, so everything runs with no key.
 */
export function chooseModel(env: NodeJS.ProcessEnv = process.env, demo: DemoModelOptions = {}): ModelChoice {
  if (env.OPENAI_API_KEY) {
    const name = env.OPENAI_DEFAULT_MODEL || getDefaultModel();
    return { model: name, demo: false, description: `OpenAI ${name} (OPENAI_API_KEY)` };
  }
  const model = demoModel(demo);
  return {
    model,
    demo: true,
    description: `${model.name}: the offline demo model (rule-based; set OPENAI_API_KEY for a real model)`,
  };
}
