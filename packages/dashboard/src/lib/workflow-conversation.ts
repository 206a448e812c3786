/**
 * A workflow run as the person sees it, derived from the events the server sent (each with its
 * `eventId`) and the answers given from this tab: messages, questions (open, answered, or left
 * unanswered when the run ended), and how the run ended.
 */
import type { WorkflowEvent } from '@sightline/serve';

/** An event of a run as received, with the id to resume after. */
export type WorkflowEventRecord = WorkflowEvent & { eventId: number };

export type AskEvent = Extract<WorkflowEvent, { type: 'ask' }>;
export type ChooseEvent = Extract<WorkflowEvent, { type: 'choose' }>;

export type WorkflowStatus = 'starting' | 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted';

/** A question's state: waiting for the person, answered, or closed by the end of the run. */
export type QuestionState = 'open' | 'answered' | 'closed';

export type WorkflowItem =
  | { kind: 'message'; eventId: number; text: string }
  | { kind: 'question'; eventId: number; question: AskEvent | ChooseEvent; state: QuestionState }
  | { kind: 'completed'; eventId: number; result: string }
  | { kind: 'failed'; eventId: number; code: string; message: string }
  | { kind: 'cancelled'; eventId: number; reason: string }
  /** The server running the run stopped before it ended (told by another node or after a restart). */
  | { kind: 'interrupted'; eventId: number; reason: string };

export interface WorkflowConversation {
  runId: string | null;
  conversationId: string | null;
  status: WorkflowStatus;
  items: WorkflowItem[];
  /** Id of the last event received: what a reconnect sends as `Last-Event-ID`. */
  lastEventId: number;
}

const TERMINAL = new Set(['completed', 'error', 'cancelled', 'interrupted']);

/** True for the events that end a run (the server closes the stream after them). */
export function isTerminal(event: WorkflowEvent): boolean {
  return TERMINAL.has(event.type);
}

/** Adds newly received events, ignoring any already seen (a resumed stream never repeats, but be safe). */
export function appendEvents(
  events: WorkflowEventRecord[],
  received: WorkflowEventRecord[],
): WorkflowEventRecord[] {
  const last = events.at(-1)?.eventId ?? 0;
  const fresh = received.filter((event) => event.eventId > last);
  return fresh.length === 0 ? events : [...events, ...fresh];
}

/** Builds the conversation from the events of one run. */
export function describeConversation(events: WorkflowEventRecord[]): WorkflowConversation {
  const conversation: WorkflowConversation = {
    runId: null,
    conversationId: null,
    status: 'starting',
    items: [],
    lastEventId: events.at(-1)?.eventId ?? 0,
  };
  const questions = new Map<string, Extract<WorkflowItem, { kind: 'question' }>>();
  for (const event of events) {
    const eventId = event.eventId;
    switch (event.type) {
      case 'started':
        conversation.runId = event.runId;
        conversation.conversationId = event.conversationId;
        conversation.status = 'running';
        break;
      case 'message':
        conversation.items.push({ kind: 'message', eventId, text: event.text });
        break;
      case 'ask':
      case 'choose': {
        const item = { kind: 'question' as const, eventId, question: event, state: 'open' as QuestionState };
        questions.set(event.questionId, item);
        conversation.items.push(item);
        break;
      }
      case 'answered': {
        const item = questions.get(event.questionId);
        if (item) item.state = 'answered';
        break;
      }
      case 'completed':
        conversation.status = 'completed';
        conversation.items.push({ kind: 'completed', eventId, result: event.result });
        break;
      case 'error':
        conversation.status = 'failed';
        conversation.items.push({ kind: 'failed', eventId, code: event.code, message: event.message });
        break;
      case 'cancelled':
        conversation.status = 'cancelled';
        conversation.items.push({ kind: 'cancelled', eventId, reason: event.reason });
        break;
      case 'interrupted':
        conversation.status = 'interrupted';
        conversation.items.push({ kind: 'interrupted', eventId, reason: event.reason });
        break;
    }
  }
  if (conversation.status !== 'running' && conversation.status !== 'starting') {
    for (const item of questions.values()) if (item.state === 'open') item.state = 'closed';
  }
  return conversation;
}
