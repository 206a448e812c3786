/**
 * The seed's NotesAgent: instructions are a function of the user context, the tools act for that user,
 * and an input guardrail refuses secrets. The model defaults to `chooseModel()`: OpenAI when
 * OPENAI_API_KEY is set, else Sightline's offline demo model.
 */
import { Agent, type Model } from '@openai/agents';
import { chooseModel } from '@sightline/agents';
import type { NoteService } from './note-service.ts';
import { noteTools, type UserContext } from './note-tools.ts';
import { noSecretsGuardrail } from './secrets-guardrail.ts';

export interface NotesAgentOptions {
  service: NoteService;
  /** Default: `chooseModel().model`. */
  model?: Model | string;
}

/** Builds the notes agent for a note service. */
export function createNotesAgent(options: NotesAgentOptions): Agent<UserContext> {
  return new Agent<UserContext>({
    name: 'NotesAgent',
    instructions: (runContext) => `You are a helpful notes assistant for ${runContext.context.userName}.

You can:
- Create new notes
- List existing notes
- Delete notes (confirm first)

Be friendly and confirm destructive actions.`,
    model: options.model ?? chooseModel().model,
    tools: noteTools(options.service),
    inputGuardrails: [noSecretsGuardrail],
  });
}
