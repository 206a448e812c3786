/**
 * The seed's `create_note`, `list_notes` and `delete_note` tools. The user comes from the run context
 * (`run(agent, input, { context: user })`), never from the model's arguments, so a model cannot act for
 * another user.
 */
import { type RunContext, tool } from '@openai/agents';
import { z } from 'zod';
import type { NoteService } from './note-service.ts';

/** Who is talking to the agent: injected into tools and instructions through the run context. */
export interface UserContext {
  userId: string;
  userName: string;
}

function userOf(context: RunContext<UserContext> | undefined): UserContext {
  if (!context?.context?.userId) throw new Error('no user in the run context');
  return context.context;
}

/** The three note tools, bound to a note service. */
export function noteTools(service: NoteService) {
  const createNote = tool({
    name: 'create_note',
    description: 'Create a new note for the current user.',
    parameters: z.object({
      title: z.string().min(1).max(200).describe('The note title.'),
      content: z.string().max(10_000).describe('The note content.'),
    }),
    execute: async ({ title, content }, context?: RunContext<UserContext>) => {
      const note = service.create(userOf(context).userId, title, content);
      return `Created note '${note.title}' with ID ${note.id}`;
    },
  });
  const listNotes = tool({
    name: 'list_notes',
    description: "List the current user's notes.",
    parameters: z.object({}),
    execute: async (_input, context?: RunContext<UserContext>) => {
      const notes = service.list(userOf(context).userId);
      if (notes.length === 0) return 'No notes found.';
      return notes.map((note) => `- [${note.id}] ${note.title}`).join('\n');
    },
  });
  const deleteNote = tool({
    name: 'delete_note',
    description: "Delete one of the current user's notes by ID.",
    parameters: z.object({ note_id: z.number().int().describe('The ID of the note to delete.') }),
    execute: async ({ note_id }, context?: RunContext<UserContext>) => {
      if (!service.delete(userOf(context).userId, note_id))
        throw new Error(`You have no note with ID ${note_id}.`);
      return `Deleted note ${note_id}`;
    },
    // Show the model (and the trace) why a delete failed instead of the SDK's redacted message.
    errorFunction: (_context, error) =>
      `Could not delete the note: ${error instanceof Error ? error.message : String(error)}`,
  });
  return [createNote, listNotes, deleteNote];
}
