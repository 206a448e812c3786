/** The notes themselves: each user's notes, kept apart by user id (in memory, for the example). */

export interface Note {
  id: number;
  title: string;
  content: string;
  createdAt: string;
}

/** Stores notes per user; a user never sees or deletes another user's notes. */
export class NoteService {
  readonly #notes = new Map<string, Note[]>();
  #nextId = 1;

  /** Creates a note for a user and returns it. */
  create(userId: string, title: string, content: string): Note {
    const note: Note = { id: this.#nextId++, title, content, createdAt: new Date().toISOString() };
    this.#notes.set(userId, [...this.list(userId), note]);
    return note;
  }

  /** A user's notes, oldest first. */
  list(userId: string): Note[] {
    return this.#notes.get(userId) ?? [];
  }

  /** Deletes one of the user's notes; false when the user has no note with that id. */
  delete(userId: string, id: number): boolean {
    const notes = this.list(userId);
    const kept = notes.filter((note) => note.id !== id);
    this.#notes.set(userId, kept);
    return kept.length !== notes.length;
  }
}
