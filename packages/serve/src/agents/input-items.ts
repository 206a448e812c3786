/** Plain `{ role, content }` chat messages as the agent SDK's input items. */
import type { AgentInputItem } from '@openai/agents-core';

/** A chat message with text content. */
export interface TextMessage {
  role: 'user' | 'assistant' | 'system' | 'developer';
  content: string;
}

/** Converts text messages to SDK input items (developer messages become system messages). */
export function toInputItems(messages: TextMessage[]): AgentInputItem[] {
  return messages.map((message): AgentInputItem => {
    if (message.role === 'assistant') {
      return {
        type: 'message',
        role: 'assistant',
        status: 'completed',
        content: [{ type: 'output_text', text: message.content }],
      };
    }
    if (message.role === 'user') return { type: 'message', role: 'user', content: message.content };
    return { type: 'message', role: 'system', content: message.content };
  });
}
