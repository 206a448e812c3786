/**
 * The agents `sightline start` serves so there is something to talk to out of the box (seeds 000–002):
 * a notes assistant (deleting a note needs your approval), a calculator and a weather agent, and a
 * triage agent that hands off to them. They use OpenAI when OPENAI_API_KEY is set, else the offline
 * demo model.
 */
import { Agent, type Model, tool } from '@openai/agents-core';
import { evaluateArithmetic } from '@sightline/agents';
import { z } from 'zod';

/** Who is talking to the demo agents (what `getUser` returns). */
export interface DemoUser {
  id: string;
}

interface Note {
  id: number;
  title: string;
  content: string;
}

/** Per-user notes kept in memory (the demo's data; conversations themselves are durable sessions). */
class NoteBook {
  readonly #notes = new Map<string, Note[]>();
  #nextId = 1;

  list(userId: string): Note[] {
    return this.#notes.get(userId) ?? [];
  }

  add(userId: string, title: string, content: string): Note {
    const note = { id: this.#nextId++, title, content };
    this.#notes.set(userId, [...this.list(userId), note]);
    return note;
  }

  remove(userId: string, id: number): boolean {
    const notes = this.list(userId);
    this.#notes.set(
      userId,
      notes.filter((note) => note.id !== id),
    );
    return notes.some((note) => note.id === id);
  }
}

function userOf(context: { context?: unknown } | undefined): string {
  return (context?.context as DemoUser | undefined)?.id ?? 'anonymous';
}

function notesAgent(model: Model | string): Agent<DemoUser> {
  const book = new NoteBook();
  const createNote = tool({
    name: 'create_note',
    description: 'Create a note with a title and content.',
    parameters: z.object({ title: z.string().max(200), content: z.string().max(10_000) }),
    execute: async ({ title, content }, context) => {
      const note = book.add(userOf(context), title, content);
      return `Created note ${note.id}: ${note.title}`;
    },
  });
  const listNotes = tool({
    name: 'list_notes',
    description: "List the user's notes.",
    parameters: z.object({}),
    execute: async (_input, context) => {
      const notes = book.list(userOf(context));
      if (notes.length === 0) return 'No notes yet.';
      return notes.map((note) => `${note.id}. ${note.title}: ${note.content}`).join('\n');
    },
  });
  const deleteNote = tool({
    name: 'delete_note',
    description: 'Delete a note by its id (asks the user to approve first).',
    parameters: z.object({ id: z.number().int() }),
    needsApproval: true,
    execute: async ({ id }, context) =>
      book.remove(userOf(context), id) ? `Deleted note ${id}.` : `There is no note ${id}.`,
  });
  return new Agent<DemoUser>({
    name: 'notes',
    handoffDescription: 'Keeps notes: create, list and delete (deleting needs your approval).',
    instructions: 'You are a helpful notes assistant. Confirm destructive actions.',
    model,
    tools: [createNote, listNotes, deleteNote],
  });
}

function calculatorAgent(model: Model | string): Agent<DemoUser> {
  const calculate = tool({
    name: 'calculate',
    description: 'Evaluate an arithmetic expression with + - * / % ^ and parentheses.',
    parameters: z.object({ expression: z.string().max(1000) }),
    execute: async ({ expression }) => {
      const value = evaluateArithmetic(expression);
      if (value === undefined) throw new Error(`"${expression}" is not an arithmetic expression`);
      return String(value);
    },
  });
  return new Agent<DemoUser>({
    name: 'calculator',
    handoffDescription: 'Does arithmetic with a calculator tool.',
    instructions: 'Use the calculate tool for any arithmetic; never compute in your head.',
    model,
    tools: [calculate],
  });
}

const CONDITIONS = ['sunny', 'cloudy', 'light rain', 'windy', 'clear skies', 'snow showers'];

function weatherAgent(model: Model | string): Agent<DemoUser> {
  const getWeather = tool({
    name: 'get_weather',
    description: 'Get the current weather for a city (demo data, stable per city).',
    parameters: z.object({ city: z.string().min(1).max(100) }),
    execute: async ({ city }) => {
      const seed = [...city.toLowerCase()].reduce((sum, char) => sum + char.charCodeAt(0), 0);
      return `${city}: ${CONDITIONS[seed % CONDITIONS.length]}, ${8 + (seed % 20)} °C`;
    },
  });
  return new Agent<DemoUser>({
    name: 'weather',
    handoffDescription: 'Tells the weather in a city.',
    instructions: 'Answer questions about the weather using the get_weather tool.',
    model,
    tools: [getWeather],
  });
}

/** The demo agents: notes, calculator, weather, and a triage agent that hands off to them. */
export function demoAgents(model: Model | string): Agent<DemoUser>[] {
  const specialists = [notesAgent(model), calculatorAgent(model), weatherAgent(model)];
  const triage = Agent.create({
    name: 'assistant',
    instructions: 'Route the user to the notes, calculator or weather agent; otherwise answer briefly.',
    model,
    handoffs: specialists,
  }) as unknown as Agent<DemoUser>;
  return [triage, ...specialists];
}
