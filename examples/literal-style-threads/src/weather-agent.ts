import type { Tracker } from '@sightline/tracker';
import type OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { traced } from './traced.ts';

export interface WeatherAgentOptions {
  tracker: Tracker;
  /** An `openai` client instrumented with `instrumentOpenAI` (the seed's `lc.instrument_openai()`). */
  openai: OpenAI;
  model?: string;
  /** Most model round trips per `run` (the seed's MAX_ITER). */
  maxIterations?: number;
}

export const weatherTools: ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'get_current_weather',
      description: 'Get the current weather in a given location',
      parameters: {
        type: 'object',
        properties: {
          location: { type: 'string', description: 'The city and state, e.g. San Francisco, CA' },
          unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
        },
        required: ['location'],
      },
    },
  },
];

/** The seed's agent: `get_current_weather` is a `tool` step, `run` a `run` step looping over the model. */
export function createWeatherAgent(options: WeatherAgentOptions) {
  const { tracker, openai } = options;
  const model = options.model ?? 'gpt-4-turbo-preview';
  const maxIterations = options.maxIterations ?? 5;

  // Dummy function hard coded to return the same weather, as in the seed.
  const getCurrentWeather = traced(
    tracker,
    { type: 'tool', name: 'get_current_weather' },
    (args: { location: string; unit?: string }) =>
      JSON.stringify({
        location: args.location,
        temperature: '72',
        unit: args.unit ?? 'Fahrenheit',
        forecast: ['sunny', 'windy'],
      }),
  );
  const toolsByName: Record<string, (args: { location: string; unit?: string }) => Promise<string>> = {
    get_current_weather: getCurrentWeather,
  };

  const run = traced(tracker, { type: 'run', name: 'run' }, async (history: ChatCompletionMessageParam[]) => {
    const messages = [...history];
    for (let iteration = 0; iteration < maxIterations; iteration++) {
      const response = await openai.chat.completions.create({
        model,
        messages,
        tools: weatherTools,
        tool_choice: 'auto',
      });
      const message = response.choices[0]?.message;
      if (!message) break;
      messages.push(message);
      const calls = (message.tool_calls ?? []).filter((call) => call.type === 'function');
      if (calls.length === 0) break;
      for (const call of calls) {
        const tool = toolsByName[call.function.name];
        // The seed passed the raw JSON string to the tool; the arguments are parsed here.
        const content = tool
          ? await tool(JSON.parse(call.function.arguments || '{}'))
          : JSON.stringify({ error: `unknown tool ${call.function.name}` });
        messages.push({ role: 'tool', tool_call_id: call.id, content });
      }
    }
    return messages;
  });

  return { run, getCurrentWeather };
}
