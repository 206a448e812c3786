import type { Tracker } from '@sightline/tracker';

/** The seed's tools, each tracking itself with `trackAction` exactly as the Python version did. */
export interface ChatTool {
  definition: {
    type: 'function';
    function: { name: string; description: string; parameters: Record<string, unknown> };
  };
  run: (args: Record<string, unknown>) => string;
}

const WEATHER: Record<string, string> = {
  'san francisco': 'Sunny, 68°F',
  sf: 'Sunny, 68°F',
  'new york': 'Cloudy, 55°F',
  london: 'Rainy, 52°F',
};

/** Evaluates `a op b` (numbers and + - * / ^ only): no eval of model output. */
export function evaluate(expression: string): number {
  const match = /^\s*(-?\d+(?:\.\d+)?)\s*([-+*/^])\s*(-?\d+(?:\.\d+)?)\s*$/.exec(
    expression.replace('÷', '/'),
  );
  if (!match) throw new Error(`unsupported expression: ${expression}`);
  const [a, op, b] = [Number(match[1]), match[2], Number(match[3])];
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      if (b === 0) throw new Error('division by zero');
      return a / b;
    default:
      return a ** b;
  }
}

/** `calculate` and `get_weather` (named as the fake provider calls them) tracked into the current conversation. */
export function chatTools(tracker: Tracker): Record<string, ChatTool> {
  return {
    calculate: {
      definition: {
        type: 'function',
        function: {
          name: 'calculate',
          description: 'Calculate a mathematical expression like "2+2" or "10*5".',
          parameters: {
            type: 'object',
            properties: { expression: { type: 'string' } },
            required: ['expression'],
          },
        },
      },
      run: ({ expression }) => {
        const startedAt = new Date();
        try {
          const result = evaluate(String(expression));
          const endedAt = new Date();
          tracker.trackAction({
            name: 'calculate',
            type: 'tool',
            startedAt,
            endedAt,
            toolsUsed: { tool: 'calculator' },
            response: String(result),
            metadata: { expression, result, status: 'success' },
          });
          return `The result is: ${result}`;
        } catch (error) {
          tracker.trackAction({
            name: 'calculate',
            type: 'tool',
            startedAt,
            endedAt: new Date(),
            toolsUsed: { tool: 'calculator' },
            error,
            metadata: { expression, status: 'failed' },
          });
          return `Error: ${(error as Error).message}`;
        }
      },
    },
    get_current_weather: {
      definition: {
        type: 'function',
        function: {
          name: 'get_current_weather',
          description: 'Get current weather for a city.',
          parameters: {
            type: 'object',
            properties: { location: { type: 'string' } },
            required: ['location'],
          },
        },
      },
      run: ({ location }) => {
        const startedAt = Date.now();
        const city = String(location);
        const result = WEATHER[city.toLowerCase()] ?? `Weather data not available for ${city}`;
        tracker.trackAction({
          name: 'get_weather',
          type: 'tool',
          durationMs: Date.now() - startedAt,
          toolsUsed: { tool: 'weather_api' },
          response: result,
          metadata: { city, status: 'success' },
        });
        return result;
      },
    },
  };
}
