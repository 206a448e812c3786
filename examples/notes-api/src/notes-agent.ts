/**
 * The notes agent: instructions written for the calling user (from the run context), the notes tools, and
 * the no-secrets guardrail. The model defaults to `chooseModel()`: OpenAI when OPENAI_API_KEY is set, else
 * Sightline's offline demo model.
 */
import { Agent, type Model, type Tool } from '@openai/agents';
import { chooseModel } from '@sightline/agents';
import { noSecrets } from './no-secrets-guardrail.ts';
import type { NotesUser } from './note-tools.ts';

/** Builds the agent around the notes tools. */
export function createNotesAgent(tools: Tool<NotesUser>[], model?: Model | string): Agent<NotesUser> {
  return new Agent<NotesUser>({
    name: 'NotesAgent',
    handoffDescription: "Keeps the user's notes: adds, lists and searches them.",
    instructions: (runContext) =>
      `You help ${runContext.context.userName} manage notes. Add, list and search notes with your tools; ` +
      'never invent a note.',
    model: model ?? chooseModel().model,
    tools,
    inputGuardrails: [noSecrets],
  });
}
