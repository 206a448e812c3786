/**
 * Model prices, per 1M input and output tokens in USD. The server prices every `llm` step from this
 * table unless the event carries its own `costUsd`. Users extend or override it (`createStore({ prices })`).
 */
export interface ModelPrice {
  /** Exact model name, or a prefix when it ends with `*` (e.g. `gpt-4o-*`). */
  model: string;
  /** Optional provider the price applies to; any provider when absent. */
  provider?: string;
  inputPerMillion: number;
  outputPerMillion: number;
}

/** List prices as published by the providers (USD per 1M tokens); extend with your own. */
export const DEFAULT_PRICES: readonly ModelPrice[] = [
  { model: 'gpt-4o', inputPerMillion: 2.5, outputPerMillion: 10 },
  { model: 'gpt-4o-*', inputPerMillion: 2.5, outputPerMillion: 10 },
  { model: 'gpt-4o-mini', inputPerMillion: 0.15, outputPerMillion: 0.6 },
  { model: 'gpt-4o-mini-*', inputPerMillion: 0.15, outputPerMillion: 0.6 },
  { model: 'gpt-4.1', inputPerMillion: 2, outputPerMillion: 8 },
  { model: 'gpt-4.1-*', inputPerMillion: 2, outputPerMillion: 8 },
  { model: 'gpt-4.1-mini', inputPerMillion: 0.4, outputPerMillion: 1.6 },
  { model: 'gpt-4.1-mini-*', inputPerMillion: 0.4, outputPerMillion: 1.6 },
  { model: 'gpt-4.1-nano', inputPerMillion: 0.1, outputPerMillion: 0.4 },
  { model: 'gpt-5', inputPerMillion: 1.25, outputPerMillion: 10 },
  { model: 'gpt-5-*', inputPerMillion: 1.25, outputPerMillion: 10 },
  { model: 'gpt-5-mini', inputPerMillion: 0.25, outputPerMillion: 2 },
  { model: 'gpt-5-nano', inputPerMillion: 0.05, outputPerMillion: 0.4 },
  { model: 'o3', inputPerMillion: 2, outputPerMillion: 8 },
  { model: 'o4-mini', inputPerMillion: 1.1, outputPerMillion: 4.4 },
  { model: 'gpt-3.5-turbo', inputPerMillion: 0.5, outputPerMillion: 1.5 },
  { model: 'claude-3-5-sonnet-*', inputPerMillion: 3, outputPerMillion: 15 },
  { model: 'claude-3-7-sonnet-*', inputPerMillion: 3, outputPerMillion: 15 },
  { model: 'claude-sonnet-4*', inputPerMillion: 3, outputPerMillion: 15 },
  { model: 'claude-3-5-haiku-*', inputPerMillion: 0.8, outputPerMillion: 4 },
  { model: 'claude-haiku-4*', inputPerMillion: 1, outputPerMillion: 5 },
  { model: 'claude-opus-4*', inputPerMillion: 15, outputPerMillion: 75 },
  { model: 'gemini-1.5-pro*', inputPerMillion: 1.25, outputPerMillion: 5 },
  { model: 'gemini-1.5-flash*', inputPerMillion: 0.075, outputPerMillion: 0.3 },
  { model: 'gemini-2.0-flash*', inputPerMillion: 0.1, outputPerMillion: 0.4 },
  { model: 'gemini-2.5-pro*', inputPerMillion: 1.25, outputPerMillion: 10 },
  { model: 'gemini-2.5-flash*', inputPerMillion: 0.3, outputPerMillion: 2.5 },
  { model: 'sightline-demo', inputPerMillion: 0, outputPerMillion: 0 },
];

/** Looks up prices: exact names first, then the longest matching prefix; user prices win. */
export class PriceTable {
  readonly #exact = new Map<string, ModelPrice[]>();
  readonly #prefixes: ModelPrice[] = [];

  constructor(prices: readonly ModelPrice[] = DEFAULT_PRICES, extra: readonly ModelPrice[] = []) {
    for (const price of [...prices, ...extra]) this.add(price);
  }

  /** Adds or overrides one price. */
  add(price: ModelPrice): void {
    const name = price.model.toLowerCase();
    if (name.endsWith('*')) {
      this.#prefixes.unshift({ ...price, model: name.slice(0, -1) });
      this.#prefixes.sort((a, b) => b.model.length - a.model.length);
      return;
    }
    this.#exact.set(name, [{ ...price, model: name }, ...(this.#exact.get(name) ?? [])]);
  }

  /** The price of a model (and provider), or undefined when the table does not know it. */
  find(model: string, provider?: string | null): ModelPrice | undefined {
    const name = model.toLowerCase();
    const matches = (price: ModelPrice) => !price.provider || price.provider === provider;
    const exact = this.#exact.get(name)?.find(matches);
    if (exact) return exact;
    return this.#prefixes.find((price) => name.startsWith(price.model) && matches(price));
  }

  /** Cost in USD of a call, or null when the model has no price. */
  cost(options: {
    model: string;
    provider?: string | null;
    inputTokens: number;
    outputTokens: number;
  }): number | null {
    const price = this.find(options.model, options.provider);
    if (!price) return null;
    return (
      (options.inputTokens * price.inputPerMillion + options.outputTokens * price.outputPerMillion) /
      1_000_000
    );
  }
}
