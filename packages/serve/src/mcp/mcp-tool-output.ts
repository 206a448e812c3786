/**
 * What a function tool returned, as MCP tool result content: strings and `{ type: 'text' }` outputs as
 * text, images with data as MCP images (URLs as resource links), anything else as its JSON, and a
 * plain-object result of a tool with an output schema also as `structuredContent`.
 */
import type { CallToolResult, ContentBlock } from '@modelcontextprotocol/sdk/types.js';

/** The MCP result of a tool output. */
export function mcpContentOf(output: unknown, structured: boolean): CallToolResult {
  const items = Array.isArray(output) && output.every(isTypedOutput) ? output : [output];
  const result: CallToolResult = { content: items.map(contentOf) };
  if (structured && isPlainObject(output) && !isTypedOutput(output)) result.structuredContent = output;
  return result;
}

function contentOf(item: unknown): ContentBlock {
  if (typeof item === 'string') return { type: 'text', text: item };
  if (isTypedOutput(item)) {
    if (item.type === 'text' && typeof item.text === 'string') return { type: 'text', text: item.text };
    if (item.type === 'image') {
      const image = imageOf(item.image);
      if (image) return image;
    }
  }
  return { type: 'text', text: item === undefined ? '' : JSON.stringify(item) };
}

function imageOf(image: unknown): ContentBlock | undefined {
  if (typeof image === 'string') return dataUrlImage(image) ?? link(image);
  if (!isPlainObject(image)) return undefined;
  if (typeof image.url === 'string') return dataUrlImage(image.url) ?? link(image.url);
  if (typeof image.data === 'string' || image.data instanceof Uint8Array) {
    const data = typeof image.data === 'string' ? image.data : Buffer.from(image.data).toString('base64');
    const mimeType = typeof image.mediaType === 'string' ? image.mediaType : 'image/png';
    return { type: 'image', data, mimeType };
  }
  return undefined;
}

function dataUrlImage(url: string): ContentBlock | undefined {
  const match = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  return match?.[1] && match[2] !== undefined
    ? { type: 'image', mimeType: match[1], data: match[2] }
    : undefined;
}

function link(uri: string): ContentBlock {
  return { type: 'resource_link', uri, name: uri.split('/').pop() || uri };
}

function isTypedOutput(value: unknown): value is { type: string; [key: string]: unknown } {
  return isPlainObject(value) && (value.type === 'text' || value.type === 'image' || value.type === 'file');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
