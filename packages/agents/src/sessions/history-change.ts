/**
 * The one write every durable session performs: an atomic, optionally idempotent change to the end of
 * a history. `addItems`, the SDK's `append_items`/`replace_suffix` transactions and a committed turn all
 * become a `HistoryChange`, validated and encoded here once, before any database is touched.
 */
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { AgentInputItem, SessionHistoryTransactionArgs } from '@openai/agents-core';
import { LIMITS } from '@sightline/core';
import { SessionInputError } from '../errors.ts';
import { itemIssue, schemaIssue } from './item-check.ts';

/** An atomic change to the end of one session's history. */
export interface HistoryChange {
  /** Retry key: a change applied once under this id is never applied again. */
  operationId?: string;
  /** Hash of the change's content, stored with `operationId` to detect an id reused for other content. */
  fingerprint?: string;
  /** The fingerprint versions before 0.2 stored for the same turn (`turn:<sha256>`), for their retries. */
  legacyFingerprint?: string;
  /**
   * The turn made `operationId` itself, so only that turn can retry it, and only after a commit whose
   * outcome it did not learn. A store whose commits always report their outcome (SQLite, in process:
   * the call returns or it rolled back) need not record such an id.
   */
  idGenerated?: boolean;
  /** Items the history must currently end with; they are removed (empty: plain append). */
  expectedSuffix: EncodedItem[];
  /** Items appended after the suffix is removed. */
  append: EncodedItem[];
}

/** An item as stored: its JSON text (exact round trip); its value is parsed back only when needed. */
export class EncodedItem {
  readonly json: string;
  #value: AgentInputItem | undefined;

  constructor(json: string, value?: AgentInputItem) {
    this.json = json;
    this.#value = value;
  }

  /** The item as JSON gives it back (a fresh object owned by this EncodedItem). */
  get value(): AgentInputItem {
    this.#value ??= JSON.parse(this.json) as AgentInputItem;
    return this.#value;
  }
}

/**
 * Internal fast path: a durable session applies a change already validated and encoded (by a
 * SessionTurn) without encoding it again. Not part of the SDK's interfaces.
 */
export const APPLY_CHANGE: unique symbol = Symbol('sightline.applyChange');

/** A session offering the internal fast path. */
export interface ChangeTarget {
  [APPLY_CHANGE](change: HistoryChange, runContext?: unknown): Promise<void>;
}

/** Validates items and encodes them as JSON; `field` names the argument in errors (`items.3.type`). */
export function encodeItems(items: unknown, field: string): EncodedItem[] {
  if (!Array.isArray(items))
    throw new SessionInputError([{ path: field, message: 'must be an array of items' }]);
  return items.map((item, index) => encodeItem(item, `${field}.${index}`));
}

function encodeItem(item: unknown, path: string): EncodedItem {
  const issue = itemIssue(item, path);
  if (issue) throw new SessionInputError([issue]);
  let json: string | undefined;
  try {
    json = JSON.stringify(item);
  } catch (cause) {
    throw new SessionInputError([{ path, message: `must be JSON-serializable (${String(cause)})` }], {
      cause,
    });
  }
  if (json === undefined) throw new SessionInputError([{ path, message: 'must be JSON-serializable' }]);
  return new EncodedItem(json);
}

/**
 * Turns the SDK's `applyHistoryTransaction` arguments into a validated, fingerprinted change. Items are
 * checked against the SDK's full schema (as MemorySession does) and fingerprinted structurally, so a
 * retry rebuilt from a deserialized RunState (keys in another order) is still recognized.
 */
export function changeFromTransaction(args: SessionHistoryTransactionArgs): HistoryChange {
  const record = (args ?? {}) as Partial<SessionHistoryTransactionArgs>;
  const operationId = checkOperationId(record.operationId);
  const transaction = record.transaction as Record<string, unknown> | undefined;
  if (!transaction || typeof transaction !== 'object') {
    throw new SessionInputError([{ path: 'transaction', message: 'must be an object' }]);
  }
  if (transaction.type === 'append_items') {
    const append = strictItems(transaction.items, 'transaction.items');
    return {
      operationId,
      fingerprint: structuralFingerprint('append_items', [], append),
      expectedSuffix: [],
      append,
    };
  }
  if (transaction.type === 'replace_suffix') {
    const expectedSuffix = strictItems(transaction.expectedSuffix, 'transaction.expectedSuffix');
    const append = strictItems(transaction.replacement, 'transaction.replacement');
    return {
      operationId,
      fingerprint: structuralFingerprint('replace_suffix', expectedSuffix, append),
      expectedSuffix,
      append,
    };
  }
  throw new SessionInputError([
    { path: 'transaction.type', message: 'must be "append_items" or "replace_suffix"' },
  ]);
}

function strictItems(items: unknown, field: string): EncodedItem[] {
  const encoded = encodeItems(items, field);
  encoded.forEach((item, index) => {
    const issue = schemaIssue(item.value, `${field}.${index}`);
    if (issue) throw new SessionInputError([issue]);
  });
  return encoded;
}

/** Fingerprint of an SDK transaction: key order inside items does not matter. */
function structuralFingerprint(type: string, expectedSuffix: EncodedItem[], append: EncodedItem[]): string {
  const hash = createHash('sha256').update(type);
  for (const item of expectedSuffix) hash.update('\u0000-').update(canonicalJson(item.value));
  for (const item of append) hash.update('\u0000+').update(canonicalJson(item.value));
  return `tx:${hash.digest('hex')}`;
}

/**
 * Fingerprint of a committed turn, over the exact JSON texts. A turn is retried with the same staged
 * texts, or with items read back from the session, whose JSON texts are the stored ones. It only tells
 * a retry from an operation id reused by mistake (nothing adversarial), so a 64-bit hash computed in
 * JS serves: a sha256 through node:crypto cost ~45 µs per commit here (OpenSSL's per-call setup).
 */
export function turnFingerprint(expectedSuffix: EncodedItem[], append: EncodedItem[]): string {
  const hash = new TextFingerprint();
  for (const item of expectedSuffix) hash.add('-').add(item.json);
  for (const item of append) hash.add('+').add(item.json);
  return `turn64:${hash.digest()}`;
}

/** The fingerprint of a turn as earlier versions stored it: a sha256 over the same texts. */
export function legacyTurnFingerprint(expectedSuffix: EncodedItem[], append: EncodedItem[]): string {
  let text = '';
  for (const item of expectedSuffix) text += `\u0000-${item.json}`;
  for (const item of append) text += `\u0000+${item.json}`;
  return `turn:${createHash('sha256').update(text).digest('hex')}`;
}

/** True when a stored fingerprint is the change's (or, for a row stored by an earlier version, its legacy one). */
export function sameFingerprint(stored: string | undefined, change: HistoryChange): boolean {
  if (stored === undefined) return false;
  if (stored === (change.fingerprint ?? '')) return true;
  return stored.startsWith('turn:') && stored === change.legacyFingerprint;
}

/** A 64-bit FNV-1a-style hash over UTF-16 code units (two 32-bit lanes, different primes), plus length. */
class TextFingerprint {
  #low = 0x811c9dc5;
  #high = 0x01000193;
  #length = 0;

  add(text: string): this {
    let low = this.#low;
    let high = this.#high;
    for (let index = 0; index < text.length; index += 1) {
      const code = text.charCodeAt(index);
      low = Math.imul(low ^ code, 0x01000193);
      high = Math.imul(high ^ code, 0x5bd1e995);
    }
    this.#low = Math.imul(low ^ 0xff, 0x01000193); // a separator after every part
    this.#high = Math.imul(high ^ 0xff, 0x5bd1e995);
    this.#length += text.length + 1;
    return this;
  }

  digest(): string {
    const hex = (value: number) => (value >>> 0).toString(16).padStart(8, '0');
    return `${hex(this.#high)}${hex(this.#low)}:${this.#length}`;
  }
}

function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let index = 0; index < value.length; index += 1)
      out += `${index > 0 ? ',' : ''}${canonicalJson(value[index])}`;
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  for (const key of keys) {
    if (record[key] === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${canonicalJson(record[key])}`;
  }
  return `${out}}`;
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
