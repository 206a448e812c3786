/**
 * Agent run events -> the AI SDK's UI message stream chunks (`UIMessageChunk` from `ai`), so `useChat` and
 * `DefaultChatTransport` read a served agent unchanged: text-start/delta/end, dynamic tool parts
 * (tool-input-available, tool-output-available, tool-approval-request, tool-output-denied), reasoning,
 * start/finish and data-handoff parts. One mapper per run phase (a run, or its resumption after approval).
 */
import type {
  RunItem,
  RunStreamEvent,
  RunToolApprovalItem,
  RunToolCallItem,
  RunToolCallOutputItem,
} from '@openai/agents-core';
import type { UIMessageChunk } from 'ai';

/** What the client learns about the run in the `start` chunk's message metadata. */
export interface RunMessageMetadata {
  runId: string;
  conversationId: string;
  /** The conversation's id in Sightline (the dashboard): partitioned by user. */
  trackedConversationId: string;
  agent: string;
  /**
   * The tracked id of the run's answer (Sightline's message id, to score it), in the `finish` chunk's
   * metadata of a completed run with a tracker; the stream's own message id is the run id.
   */
  trackedMessageId?: string;
}

/** Converts the SDK's stream events of one run phase into UI message chunks. */
export class UiMessageChunkMapper {
  readonly #prefix: string;
  readonly #denied: ReadonlySet<string>;
  #textId: string | undefined;
  #textCount = 0;
  #stepOpen = false;
  #streamedThisResponse = false;
  /** Text of the current model response so far (what a cancel keeps). */
  partialText = '';

  /** `denied`: tool call ids the person rejected (their outputs become tool-output-denied). */
  constructor(runId: string, denied: ReadonlySet<string> = new Set()) {
    this.#prefix = runId;
    this.#denied = denied;
  }

  /** The chunks one SDK event becomes (often none). */
  map(event: RunStreamEvent): UIMessageChunk[] {
    if (event.type === 'raw_model_stream_event')
      return this.#raw(event.data as { type: string; delta?: string });
    if (event.type === 'run_item_stream_event') return this.#item(event.name, event.item);
    return [];
  }

  /** Closes open text and step parts (call before finish/abort/error). */
  close(): UIMessageChunk[] {
    const chunks = this.#endText();
    if (this.#stepOpen) {
      this.#stepOpen = false;
      chunks.push({ type: 'finish-step' });
    }
    return chunks;
  }

  #raw(data: { type: string; delta?: string }): UIMessageChunk[] {
    if (data.type === 'response_started') {
      const chunks = this.close();
      this.#stepOpen = true;
      this.#streamedThisResponse = false;
      this.partialText = '';
      chunks.push({ type: 'start-step' });
      return chunks;
    }
    if (data.type === 'output_text_delta' && typeof data.delta === 'string' && data.delta !== '') {
      const chunks: UIMessageChunk[] = [];
      if (this.#textId === undefined) {
        this.#textId = this.#nextTextId();
        chunks.push({ type: 'text-start', id: this.#textId });
      }
      this.#streamedThisResponse = true;
      this.partialText += data.delta;
      chunks.push({ type: 'text-delta', id: this.#textId, delta: data.delta });
      return chunks;
    }
    if (data.type === 'response_done') return this.#endText();
    return [];
  }

  #item(name: string, item: RunItem): UIMessageChunk[] {
    switch (name) {
      case 'message_output_created':
        return this.#message(item);
      case 'tool_called':
        return toolInput(item as RunToolCallItem);
      case 'tool_output':
        return this.#toolOutput(item as RunToolCallOutputItem);
      case 'tool_approval_requested': {
        const callId = approvalIdOf(item as RunToolApprovalItem);
        return [{ type: 'tool-approval-request', approvalId: callId, toolCallId: callId }];
      }
      case 'handoff_occurred': {
        const handoff = item as RunItem & { sourceAgent?: { name: string }; targetAgent?: { name: string } };
        return [
          { type: 'data-handoff', data: { from: handoff.sourceAgent?.name, to: handoff.targetAgent?.name } },
        ];
      }
      case 'reasoning_item_created':
        return this.#reasoning(item);
      default:
        return [];
    }
  }

  /** A model that does not stream text still produces a message: send it whole. */
  #message(item: RunItem): UIMessageChunk[] {
    if (this.#streamedThisResponse) return [];
    const text = (item as RunItem & { content?: string }).content ?? '';
    if (text === '') return [];
    const id = this.#nextTextId();
    this.partialText = text;
    return [
      { type: 'text-start', id },
      { type: 'text-delta', id, delta: text },
      { type: 'text-end', id },
    ];
  }

  #toolOutput(item: RunToolCallOutputItem): UIMessageChunk[] {
    const raw = item.rawItem as { callId?: string; id?: string; output?: unknown };
    const toolCallId = raw.callId ?? raw.id;
    if (!toolCallId) return [];
    if (this.#denied.has(toolCallId)) return [{ type: 'tool-output-denied', toolCallId }];
    const output = item.output !== undefined ? item.output : raw.output;
    return [{ type: 'tool-output-available', toolCallId, output: jsonSafe(output), dynamic: true }];
  }

  #reasoning(item: RunItem): UIMessageChunk[] {
    const raw = item.rawItem as { content?: Array<{ type: string; text?: string }> };
    const text = (raw.content ?? []).map((part) => part.text ?? '').join('');
    if (text === '') return [];
    const id = `${this.#prefix}-reasoning-${++this.#textCount}`;
    return [
      { type: 'reasoning-start', id },
      { type: 'reasoning-delta', id, delta: text },
      { type: 'reasoning-end', id },
    ];
  }

  #endText(): UIMessageChunk[] {
    if (this.#textId === undefined) return [];
    const id = this.#textId;
    this.#textId = undefined;
    return [{ type: 'text-end', id }];
  }

  #nextTextId(): string {
    this.#textCount += 1;
    return `${this.#prefix}-text-${this.#textCount}`;
  }
}

/** The approval id of an interruption: the tool call id (what the approvals route takes). */
export function approvalIdOf(item: RunToolApprovalItem): string {
  const raw = item.rawItem as { callId?: string; id?: string };
  return raw.callId ?? raw.id ?? `${item.toolName ?? 'tool'}-approval`;
}

/** Parses a tool call's JSON arguments; the raw text when it is not JSON. */
export function parseArguments(text: string | undefined): unknown {
  if (text === undefined || text === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function toolInput(item: RunToolCallItem): UIMessageChunk[] {
  const raw = item.rawItem as {
    type: string;
    callId?: string;
    id?: string;
    name?: string;
    arguments?: string;
  };
  const toolCallId = raw.callId ?? raw.id;
  if (!toolCallId) return [];
  return [
    {
      type: 'tool-input-available',
      toolCallId,
      toolName: raw.name ?? raw.type,
      input: parseArguments(raw.arguments),
      dynamic: true,
    },
  ];
}

/** Tool outputs can be anything; the stream carries JSON. */
function jsonSafe(value: unknown): unknown {
  if (value === undefined) return null;
  try {
    return JSON.parse(JSON.stringify(value)) as unknown;
  } catch {
    return String(value);
  }
}
