import { LIMITS } from '@sightline/core';

/** Keys the server refuses (prototype pollution); the tracker renames them with a trailing `_`. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** Room kept under the size budget for the markers that say what was cut. */
const MARKER_MARGIN = 1024;

export interface JsonLimitOptions {
  /** Largest serialized size, measured as core's `checkJsonValue` measures it. */
  maxSize: number;
  /** Deepest nesting of containers (the top-level value is depth 1). */
  maxDepth?: number;
}

/** A value made safe for JSON and for the server's limits, with its measured size. */
export interface LimitedJson {
  value: unknown;
  /** Size as core's `checkJsonValue` counts it (string lengths, 8 per number...). */
  size: number;
  /** True when something was cut, replaced or renamed to fit. */
  truncated: boolean;
}

interface WalkState {
  size: number;
  budget: number;
  maxDepth: number;
  truncated: boolean;
  ancestors: Set<object>;
}

const OMIT = Symbol('omit');

/**
 * Converts any value into plain JSON within the given size and depth: dates become ISO strings,
 * errors `{ name, message }`, bigints strings, cycles `"[circular]"`, functions are omitted, and
 * what does not fit is cut with a marker saying how much was dropped. Never throws.
 */
export function toLimitedJson(input: unknown, options: JsonLimitOptions): LimitedJson {
  const state: WalkState = {
    size: 0,
    budget: Math.max(64, options.maxSize - Math.min(MARKER_MARGIN, options.maxSize / 4)),
    maxDepth: options.maxDepth ?? LIMITS.maxDepth,
    truncated: false,
    ancestors: new Set(),
  };
  const value = convert(input, 1, state);
  return { value: value === OMIT ? null : value, size: state.size, truncated: state.truncated };
}

/** Cuts `text` to at most `max` characters, ending with a marker that says how many were dropped. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  const marker = `…[truncated ${text.length - max} chars]`;
  const keep = Math.max(0, max - marker.length - 8);
  return `${text.slice(0, keep)}…[truncated ${text.length - keep} chars]`;
}

function convert(value: unknown, depth: number, state: WalkState): unknown {
  switch (typeof value) {
    case 'string':
      return limitString(value, state);
    case 'number':
      state.size += 8;
      return Number.isFinite(value) ? value : null;
    case 'boolean':
      state.size += 5;
      return value;
    case 'bigint':
      return limitString(value.toString(), state);
    case 'object':
      if (value === null) {
        state.size += 4;
        return null;
      }
      return convertObject(value, depth, state);
    default:
      return OMIT;
  }
}

function limitString(text: string, state: WalkState): string {
  const room = state.budget - state.size - 2;
  if (text.length <= room) {
    state.size += text.length + 2;
    return text;
  }
  state.truncated = true;
  const cut = truncateText(text, Math.max(0, room));
  state.size += cut.length + 2;
  return cut;
}

function convertObject(value: object, depth: number, state: WalkState): unknown {
  if (value instanceof Date) {
    return Number.isNaN(value.getTime())
      ? convert(null, depth, state)
      : limitString(value.toISOString(), state);
  }
  if (depth > state.maxDepth) {
    state.truncated = true;
    return limitString('[max depth]', state);
  }
  if (state.ancestors.has(value)) {
    state.truncated = true;
    return limitString('[circular]', state);
  }
  const special = convertSpecial(value);
  if (special !== undefined) return convert(special, depth, state);
  state.ancestors.add(value);
  try {
    if (Array.isArray(value)) return convertArray(value, depth, state);
    if (value instanceof Map) return convertEntries([...value.entries()], depth, state);
    if (value instanceof Set) return convertArray([...value], depth, state);
    return convertEntries(readEntries(value), depth, state);
  } finally {
    state.ancestors.delete(value);
  }
}

/** Objects with a JSON meaning of their own; undefined when the object is walked as a record. */
function convertSpecial(value: object): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
    return `[binary ${value.byteLength} bytes]`;
  }
  if (value instanceof RegExp) return String(value);
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    try {
      const converted = toJSON.call(value);
      return converted === value ? undefined : (converted ?? null);
    } catch {
      return '[unserializable]';
    }
  }
  return undefined;
}

function convertArray(items: readonly unknown[], depth: number, state: WalkState): unknown[] {
  state.size += 2;
  const out: unknown[] = [];
  for (let index = 0; index < items.length; index++) {
    if (state.size >= state.budget) {
      state.truncated = true;
      const marker = `[${items.length - index} more items truncated]`;
      out.push(marker);
      state.size += marker.length + 2;
      break;
    }
    const item = convert(items[index], depth + 1, state);
    if (item === OMIT) {
      state.size += 4;
      out.push(null);
    } else {
      out.push(item);
    }
  }
  return out;
}

function convertEntries(entries: Array<[unknown, unknown]>, depth: number, state: WalkState): object {
  state.size += 2;
  const out: Record<string, unknown> = {};
  for (let index = 0; index < entries.length; index++) {
    const [rawKey, rawValue] = entries[index] as [unknown, unknown];
    if (state.size >= state.budget) {
      state.truncated = true;
      const marker = `${entries.length - index} more keys truncated`;
      out['…'] = marker;
      state.size += marker.length + 6;
      break;
    }
    const key = safeKey(String(rawKey), state);
    const converted = convert(rawValue, depth + 1, state);
    if (converted === OMIT) continue;
    state.size += key.length + 3;
    out[key] = converted;
  }
  return out;
}

function safeKey(key: string, state: WalkState): string {
  let safe = key;
  if (FORBIDDEN_KEYS.has(safe)) {
    safe = `${safe}_`;
    state.truncated = true;
  }
  if (safe.length > LIMITS.maxNameLength) {
    safe = safe.slice(0, LIMITS.maxNameLength);
    state.truncated = true;
  }
  return safe;
}

function readEntries(value: object): Array<[unknown, unknown]> {
  const entries: Array<[unknown, unknown]> = [];
  let keys: string[];
  try {
    keys = Object.keys(value);
  } catch {
    return [['value', '[unreadable]']];
  }
  for (const key of keys) {
    try {
      entries.push([key, (value as Record<string, unknown>)[key]]);
    } catch {
      entries.push([key, '[unreadable]']);
    }
  }
  return entries;
}
