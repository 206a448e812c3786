/**
 * Fast validation of history items before they are stored: the shapes the SDK writes on every turn
 * (messages, function calls and results, reasoning) are checked by hand in a few microseconds; any
 * other item goes through the SDK's own `protocol.ModelItem` schema, so item kinds added by a newer SDK
 * are accepted exactly when the installed SDK accepts them.
 */
import { protocol } from '@openai/agents-core';
import type { FieldIssue } from '@sightline/core';

const ROLES = new Set(['user', 'assistant', 'system']);

/** The first problem of an item (path relative to `path`), or undefined when it is a valid item. */
export function itemIssue(value: unknown, path: string): FieldIssue | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { path, message: 'must be an item object' };
  }
  const item = value as Record<string, unknown>;
  switch (item.type) {
    case undefined:
    case 'message':
      if (typeof item.role !== 'string' || !ROLES.has(item.role)) {
        return { path: `${path}.role`, message: 'must be "user", "assistant" or "system"' };
      }
      if (typeof item.content !== 'string' && !Array.isArray(item.content)) {
        return { path: `${path}.content`, message: 'must be a string or an array of content parts' };
      }
      return undefined;
    case 'function_call':
      return missingString(item, path, ['callId', 'name', 'arguments']);
    case 'function_call_result':
      return (
        missingString(item, path, ['callId', 'name']) ??
        (item.output === undefined ? { path: `${path}.output`, message: 'is required' } : undefined)
      );
    case 'reasoning':
      return Array.isArray(item.content)
        ? undefined
        : { path: `${path}.content`, message: 'must be an array' };
    default:
      return schemaIssue(item, path);
  }
}

function missingString(
  item: Record<string, unknown>,
  path: string,
  fields: string[],
): FieldIssue | undefined {
  const missing = fields.find((field) => typeof item[field] !== 'string');
  return missing === undefined ? undefined : { path: `${path}.${missing}`, message: 'must be a string' };
}

/** Full validation against the SDK's schema (slower; used for the less common item kinds). */
export function schemaIssue(item: unknown, path: string): FieldIssue | undefined {
  const parsed = protocol.ModelItem.safeParse(item);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${path}.${issue.path.map(String).join('.')}` : path;
  return { path: where, message: issue?.message ?? 'is not an agent input item' };
}
