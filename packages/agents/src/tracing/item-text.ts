/** Plain text out of the SDK's (and the AI SDK's) message contents, tool outputs and model items. */

/** Text of a message content or tool output: strings, text parts, JSON for anything else. */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(textOf).join('');
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.text === 'string') return record.text;
    if (typeof record.type === 'string' && /image|file|audio/.test(record.type)) return '';
    return JSON.stringify(value);
  }
  return value === undefined || value === null ? '' : String(value);
}

/** True for a user message item, with or without `type: 'message'`. */
export function isUserMessage(item: unknown): item is { role: 'user'; content: unknown } {
  if (!item || typeof item !== 'object') return false;
  const record = item as Record<string, unknown>;
  return (record.type === undefined || record.type === 'message') && record.role === 'user';
}

/** The user's newest words: the user messages at the end of a model input (none after a tool result). */
export function trailingUserText(input: unknown): string | undefined {
  if (typeof input === 'string') return input;
  if (!Array.isArray(input)) return undefined;
  const texts: string[] = [];
  for (let index = input.length - 1; index >= 0; index -= 1) {
    const item: unknown = input[index];
    if (!isUserMessage(item)) break;
    texts.unshift(textOf(item.content));
  }
  return texts.length > 0 ? texts.join('\n') : undefined;
}

/** The text of the assistant messages in a model output, or undefined when it has none. */
export function assistantText(output: unknown): string | undefined {
  if (!Array.isArray(output)) return undefined;
  const texts: string[] = [];
  for (const item of output) {
    if (!item || typeof item !== 'object') continue;
    const record = item as Record<string, unknown>;
    if (record.role !== 'assistant' || (record.type !== undefined && record.type !== 'message')) continue;
    const content = Array.isArray(record.content) ? record.content : [record.content];
    for (const part of content) {
      if (typeof part === 'string') texts.push(part);
      else if (part && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string') {
        texts.push((part as { text: string }).text);
      }
    }
  }
  return texts.length > 0 ? texts.join('') : undefined;
}
