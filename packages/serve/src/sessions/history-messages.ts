/**
 * A conversation's stored items (the agent SDK's `AgentInputItem`s) as AI SDK `UIMessage`s, the shape
 * `useChat` shows and the UI message stream builds: each user message, then one assistant message per
 * run with a `step-start` per model response, its text, reasoning and tool calls (dynamic tool parts
 * with their result, denial or pending approval), so a chat opened elsewhere reads like the one streamed.
 */
import type { AgentInputItem } from '@openai/agents-core';
import type { DynamicToolUIPart, UIMessage } from 'ai';
import { parseArguments } from '../agents/ui-message-chunks.ts';

/** The result the SDK stores for a tool call a person rejected without a message of their own. */
export const DEFAULT_REJECTION_TEXT = 'Tool execution was not approved.';

/** What the assistant messages of a history carry as metadata (as the stream's `start` chunk does). */
export interface HistoryMessageMetadata {
  conversationId: string;
  trackedConversationId: string;
  agent: string;
  /** The run of the message, when known (one paused on an approval, or still running). */
  runId?: string;
}

export interface HistoryOptions {
  metadata: Omit<HistoryMessageMetadata, 'runId'>;
  /**
   * Tool calls waiting on a person, by tool call id: the approval id, and the decision once one was made
   * (a run resuming now); without one the call is `approval-requested`.
   */
  approvals?: ReadonlyMap<string, { approvalId: string; approved?: boolean | undefined }>;
  /** The run the last assistant message belongs to (paused or running): its id becomes the message's. */
  lastRunId?: string | undefined;
}

type Part = UIMessage['parts'][number];

/** Converts stored items to UI messages, oldest first (system messages and unknown items are left out). */
export function historyMessages(items: readonly AgentInputItem[], options: HistoryOptions): UIMessage[] {
  const results = new Map<string, AgentInputItem & { type: 'function_call_result' }>();
  for (const item of items) if (item.type === 'function_call_result') results.set(item.callId, item);
  const messages: UIMessage[] = [];
  let assistant: UIMessage | undefined;
  let inStep = false;
  const modelPart = (index: number, parts: Part[]) => {
    if (parts.length === 0) return;
    if (!assistant) {
      assistant = { id: `item-${index}`, role: 'assistant', metadata: { ...options.metadata }, parts: [] };
      messages.push(assistant);
    }
    if (!inStep) assistant.parts.push({ type: 'step-start' });
    inStep = true;
    assistant.parts.push(...parts);
  };
  items.forEach((item, index) => {
    if (item.type === 'function_call_result') {
      inStep = false; // the next model output is the next model response
      return;
    }
    if (item.type === 'function_call') {
      modelPart(index, [toolPart(item, results.get(item.callId), options.approvals?.get(item.callId))]);
      return;
    }
    if (item.type === 'reasoning') {
      const text = item.content.map((part) => part.text).join('');
      modelPart(index, text === '' ? [] : [{ type: 'reasoning', text, state: 'done' }]);
      return;
    }
    if (item.type !== 'message' && item.type !== undefined) return;
    if (!('role' in item)) return;
    if (item.role === 'user') {
      const parts = userText(item.content);
      if (parts.length > 0) messages.push({ id: `item-${index}`, role: 'user', parts });
      assistant = undefined;
      inStep = false;
    } else if (item.role === 'assistant') {
      modelPart(index, assistantText(item.content));
    }
  });
  const last = messages.at(-1);
  if (last?.role === 'assistant' && options.lastRunId) {
    last.id = options.lastRunId;
    last.metadata = { ...options.metadata, runId: options.lastRunId };
  }
  return messages;
}

type UserContent = Extract<AgentInputItem, { role: 'user' }>['content'];
type AssistantContent = Extract<AgentInputItem, { role: 'assistant' }>['content'];

function userText(content: UserContent): Part[] {
  if (typeof content === 'string')
    return content === '' ? [] : [{ type: 'text', text: content, state: 'done' }];
  return content.flatMap((part): Part[] =>
    part.type === 'input_text' && part.text !== '' ? [{ type: 'text', text: part.text, state: 'done' }] : [],
  );
}

function assistantText(content: AssistantContent): Part[] {
  return content.flatMap((part): Part[] => {
    if (part.type === 'output_text' && part.text !== '')
      return [{ type: 'text', text: part.text, state: 'done' }];
    if (part.type === 'refusal' && part.refusal !== '')
      return [{ type: 'text', text: part.refusal, state: 'done' }];
    return [];
  });
}

/** A tool call with what became of it: its result, a denial, an error, or a decision still to make. */
function toolPart(
  call: AgentInputItem & { type: 'function_call' },
  result: (AgentInputItem & { type: 'function_call_result' }) | undefined,
  approval: { approvalId: string; approved?: boolean | undefined } | undefined,
): DynamicToolUIPart {
  const base = { type: 'dynamic-tool', toolName: call.name, toolCallId: call.callId } as const;
  const input = parseArguments(call.arguments);
  if (!result) {
    if (!approval) return { ...base, state: 'input-available', input };
    if (approval.approved === undefined)
      return { ...base, state: 'approval-requested', input, approval: { id: approval.approvalId } };
    return {
      ...base,
      state: 'approval-responded',
      input,
      approval: { id: approval.approvalId, approved: approval.approved },
    };
  }
  const output = outputOf(result.output);
  if (output === DEFAULT_REJECTION_TEXT)
    return { ...base, state: 'output-denied', input, approval: { id: call.callId, approved: false } };
  // A call closed by a cancel ("Not run: …") is stored incomplete.
  if (result.status === 'incomplete')
    return {
      ...base,
      state: 'output-error',
      input,
      errorText: typeof output === 'string' ? output : 'not run',
    };
  return { ...base, state: 'output-available', input, output };
}

/** A stored tool output as the stream sends it: its text when it is text, else the structured value. */
function outputOf(output: unknown): unknown {
  if (typeof output === 'string') return output;
  if (output && typeof output === 'object' && !Array.isArray(output)) {
    const part = output as { type?: unknown; text?: unknown };
    if (part.type === 'text' && typeof part.text === 'string') return part.text;
  }
  return output ?? null;
}
