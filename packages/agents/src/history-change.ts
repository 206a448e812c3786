/**
 * The one write every durable session performs: an atomic, optionally idempotent change to the end of
 * a history. `addItems`, the SDK's `append_items`/`replace_suffix` transactions and a committed turn all
 * become a `HistoryChange`, validated and encoded here once, before any database is touched.
 */
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { type AgentInputItem, protocol, type SessionHistoryTransactionArgs } from '@openai/agents';
import { LIMITS } from '@sightline/core';
import { SessionInputError } from './errors.ts';

/** An atomic change to the end of one session's history. */
export interface HistoryChange {
  /** Retry key: a change applied once under this id is never applied again. */
  operationId?: string;
  /** Hash of the change's content, stored with `operationId` to detect an id reused for other content. */
  fingerprint?: string;
  /** Items the history must currently end with; they are removed (empty: plain append). */
  expectedSuffix: EncodedItem[];
  /** Items appended after the suffix is removed. */
  append: EncodedItem[];
}

/** An item as stored: its JSON text (exact round trip) and its parsed, JSON-normalized value. */
export interface EncodedItem {
  json: string;
  value: AgentInputItem;
}

/** Validates items and encodes them as JSON; `field` names the argument in errors (`items.3.type`). */
export function encodeItems(items: unknown, field: string): EncodedItem[] {
  if (!Array.isArray(items))
    throw new SessionInputError([{ path: field, message: 'must be an array of items' }]);
  return items.map((item, index) => encodeItem(item, `${field}.${index}`));
}

function encodeItem(item: unknown, path: string): EncodedItem {
  let json: string | undefined;
  try {
    json = JSON.stringify(item);
  } catch (cause) {
    throw new SessionInputError([{ path, message: `must be JSON-serializable (${String(cause)})` }], {
      cause,
    });
  }
  if (json === undefined || item === null || typeof item !== 'object' || Array.isArray(item)) {
    throw new SessionInputError([{ path, message: 'must be an item object' }]);
  }
  const value = JSON.parse(json) as unknown;
  const parsed = protocol.ModelItem.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${path}.${issue.path.map(String).join('.')}` : path;
    throw new SessionInputError([{ path: where, message: issue?.message ?? 'is not an agent input item' }]);
  }
  return { json, value: value as AgentInputItem };
}

/** Turns the SDK's `applyHistoryTransaction` arguments into a validated, fingerprinted change. */
export function changeFromTransaction(args: SessionHistoryTransactionArgs): HistoryChange {
  const record = (args ?? {}) as Partial<SessionHistoryTransactionArgs>;
  const operationId = checkOperationId(record.operationId);
  const transaction = record.transaction as Record<string, unknown> | undefined;
  if (!transaction || typeof transaction !== 'object') {
    throw new SessionInputError([{ path: 'transaction', message: 'must be an object' }]);
  }
  if (transaction.type === 'append_items') {
    const append = encodeItems(transaction.items, 'transaction.items');
    return {
      operationId,
      fingerprint: fingerprintOf('append_items', [], append),
      expectedSuffix: [],
      append,
    };
  }
  if (transaction.type === 'replace_suffix') {
    const expectedSuffix = encodeItems(transaction.expectedSuffix, 'transaction.expectedSuffix');
    const append = encodeItems(transaction.replacement, 'transaction.replacement');
    return {
      operationId,
      fingerprint: fingerprintOf('replace_suffix', expectedSuffix, append),
      expectedSuffix,
      append,
    };
  }
  throw new SessionInputError([
    { path: 'transaction.type', message: 'must be "append_items" or "replace_suffix"' },
  ]);
}

/** Validates an operation id: the retry key of a history transaction. */
export function checkOperationId(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new SessionInputError([{ path: 'operationId', message: 'must be a non-empty string' }]);
  }
  if (value.length > 512) {
    throw new SessionInputError([{ path: 'operationId', message: 'must be at most 512 characters' }]);
  }
  return value;
}

/** A stable hash of a change's content: key order inside items does not matter. */
export function fingerprintOf(type: string, expectedSuffix: EncodedItem[], append: EncodedItem[]): string {
  const canonical = canonicalJson({
    type,
    expectedSuffix: expectedSuffix.map((item) => item.value),
    append: append.map((item) => item.value),
  });
  return createHash('sha256').update(canonical).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** True when the stored items (JSON texts, oldest first) are structurally the expected suffix. */
export function suffixMatches(storedJson: readonly string[], expected: readonly EncodedItem[]): boolean {
  if (storedJson.length !== expected.length) return false;
  return storedJson.every(
    (json, index) =>
      json === expected[index]?.json || isDeepStrictEqual(JSON.parse(json), expected[index]?.value),
  );
}

/** Validates a session id: it is also the conversation id Sightline records, so core's id rules apply. */
export function checkSessionId(value: unknown, field = 'sessionId'): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new SessionInputError([{ path: field, message: 'must be a non-empty string' }]);
  }
  if (value.length > LIMITS.maxIdLength) {
    throw new SessionInputError([
      { path: field, message: `must be at most ${LIMITS.maxIdLength} characters` },
    ]);
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ids must not carry control characters
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    throw new SessionInputError([{ path: field, message: 'must not contain control characters' }]);
  }
  return value;
}

/** Validates `getItems(limit)`: undefined (everything) or a non-negative integer. */
export function checkLimit(limit: unknown): number | undefined {
  if (limit === undefined || limit === null) return undefined;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0) {
    throw new SessionInputError([{ path: 'limit', message: 'must be a non-negative integer' }]);
  }
  return limit;
}
