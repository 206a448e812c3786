/**
 * The notes tools: `add_note`, `list_notes`, `search_notes`. The user comes from the run context (what
 * `getUser` returned for the request, injected by @sightline/serve), never from the model's arguments,
 * so neither a model nor an MCP client can act for another user. The same tools serve the agent and MCP.
 */
import { type RunContext, tool } from '@openai/agents';
import { z } from 'zod';
import type { Note, NoteStore } from './note-store.ts';

/** Who is calling, as `getUser` resolved it from the bearer token. */
export interface NotesUser {
  userId: string;
  userName: string;
}

function userOf(context: RunContext<NotesUser> | undefined): NotesUser {
  if (!context?.context?.userId) throw new Error('no user in the run context');
  return context.context;
}

function listing(user: NotesUser, notes: Note[], empty: string): string {
  if (notes.length === 0) return empty;
  const lines = notes.map((note) => `- [${note.id}] ${note.title}: ${note.content}`);
  return [`${user.userName}'s notes:`, ...lines].join('\n');
}

/** The three tools, bound to a note store. */
export function noteTools(store: NoteStore) {
  const addNote = tool({
    name: 'add_note',
    description: 'Add a note for the current user.',
    parameters: z.object({
      title: z.string().min(1).max(200).describe('A short title.'),
      content: z.string().max(10_000).describe('The note itself.'),
    }),
    execute: async ({ title, content }, context?: RunContext<NotesUser>) => {
      const user = userOf(context);
      const note = store.add(user.userId, title, content);
      return `Added note ${note.id} "${note.title}" for ${user.userName}.`;
    },
  });
  const listNotes = tool({
    name: 'list_notes',
    description: "List the current user's notes.",
    parameters: z.object({}),
    execute: async (_input, context?: RunContext<NotesUser>) => {
      const user = userOf(context);
      return listing(user, store.list(user.userId), `${user.userName} has no notes yet.`);
    },
  });
  const searchNotes = tool({
    name: 'search_notes',
    description: "Find the current user's notes that mention any of the query's words.",
    parameters: z.object({ query: z.string().min(1).max(500).describe('Words to look for.') }),
    execute: async ({ query }, context?: RunContext<NotesUser>) => {
      const user = userOf(context);
      return listing(
        user,
        store.search(user.userId, query),
        `No note of ${user.userName} matches "${query}".`,
      );
    },
  });
  return [addNote, listNotes, searchNotes];
}
