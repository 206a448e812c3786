/**
 * The notes themselves, per user, in a `notes` table of the app's SQLite file (next to the conversations),
 * so they survive a restart too. A user never reads or finds another user's notes.
 */
import type { SqliteDatabase } from '@sightline/agents';

export interface Note {
  id: number;
  title: string;
  content: string;
  createdAt: string;
}

interface NoteRow {
  id: number;
  title: string;
  content: string;
  created_at: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS notes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id TEXT NOT NULL,
  title TEXT NOT NULL,
  content TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS notes_user ON notes (user_id, id);
`;

/** Words a search ignores: they say what to do, not what to find ("search my notes for milk"). */
const IGNORED_WORDS = new Set(
  'a about all an and any are for find in is me my note notes of on search show that the to with'.split(' '),
);

/** Each user's notes in SQLite. */
export class NoteStore {
  readonly #insert;
  readonly #list;

  constructor(db: SqliteDatabase) {
    db.exec(SCHEMA);
    this.#insert = db.prepare<[string, string, string, string], NoteRow>(
      'INSERT INTO notes (user_id, title, content, created_at) VALUES (?, ?, ?, ?) RETURNING *',
    );
    this.#list = db.prepare<[string], NoteRow>('SELECT * FROM notes WHERE user_id = ? ORDER BY id');
  }

  /** Adds a note for a user and returns it. */
  add(userId: string, title: string, content: string): Note {
    const row = this.#insert.get(userId, title, content, new Date().toISOString());
    if (!row) throw new Error('the note was not stored');
    return noteOf(row);
  }

  /** A user's notes, oldest first. */
  list(userId: string): Note[] {
    return this.#list.all(userId).map(noteOf);
  }

  /** A user's notes holding any word of the query (case-insensitive), the best matches first. */
  search(userId: string, query: string): Note[] {
    const words = (query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter(
      (word) => word.length > 1 && !IGNORED_WORDS.has(word),
    );
    if (words.length === 0) return [];
    return this.list(userId)
      .map((note) => {
        const text = `${note.title} ${note.content}`.toLowerCase();
        return { note, hits: words.filter((word) => text.includes(word)).length };
      })
      .filter((scored) => scored.hits > 0)
      .sort((a, b) => b.hits - a.hits || a.note.id - b.note.id)
      .map((scored) => scored.note);
  }
}

function noteOf(row: NoteRow): Note {
  return { id: row.id, title: row.title, content: row.content, createdAt: row.created_at };
}
