import { z } from 'zod';
import { LIMITS } from './limits.ts';

/** Keys that could reach an object's prototype when a parsed value is spread or merged. */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export interface JsonCheckOptions {
  maxDepth: number;
  maxSize: number;
}

/**
 * Walks a parsed JSON value once: measures its serialized length, its depth, and refuses
 * prototype keys. Returns a message naming the problem, or null when the value is acceptable.
 */
export function checkJsonValue(value: unknown, options: JsonCheckOptions): string | null {
  const state = { size: 0, problem: null as string | null };
  walk(value, 1, options, state);
  if (state.problem) return state.problem;
  if (state.size > options.maxSize) {
    return `is ${state.size} characters as JSON; the limit is ${options.maxSize}`;
  }
  return null;
}

interface WalkState {
  size: number;
  problem: string | null;
}

function walk(value: unknown, depth: number, options: JsonCheckOptions, state: WalkState): void {
  if (state.problem || state.size > options.maxSize) return;
  if (value === null || value === undefined) {
    state.size += 4;
    return;
  }
  switch (typeof value) {
    case 'string':
      state.size += value.length + 2;
      return;
    case 'number':
      if (!Number.isFinite(value)) state.problem = 'contains a non-finite number';
      state.size += 8;
      return;
    case 'boolean':
      state.size += 5;
      return;
    case 'object':
      if (depth > options.maxDepth) {
        state.problem = `is nested deeper than ${options.maxDepth} levels`;
        return;
      }
      walkContainer(value as object, depth, options, state);
      return;
    default:
      state.problem = `contains a ${typeof value}, which is not JSON`;
  }
}

function walkContainer(value: object, depth: number, options: JsonCheckOptions, state: WalkState): void {
  if (Array.isArray(value)) {
    state.size += 2;
    for (const item of value) walk(item, depth + 1, options, state);
    return;
  }
  state.size += 2;
  for (const key of Object.keys(value)) {
    if (PROTOTYPE_KEYS.has(key)) {
      state.problem = `has the key "${key}", which is not allowed`;
      return;
    }
    state.size += key.length + 3;
    walk((value as Record<string, unknown>)[key], depth + 1, options, state);
  }
}

/** Any JSON value within the given size and depth. */
export function jsonValue(maxSize: number = LIMITS.maxPayloadSize) {
  return z.unknown().superRefine((value, ctx) => {
    const problem = checkJsonValue(value, { maxDepth: LIMITS.maxDepth, maxSize });
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

/** A metadata object: string keys, JSON values, within the metadata size and depth limits. */
export const metadataSchema = z
  .unknown()
  .superRefine((value, ctx) => {
    const problem = checkJsonValue(value, { maxDepth: LIMITS.maxDepth, maxSize: LIMITS.maxMetadataSize });
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .pipe(z.record(z.string().max(LIMITS.maxNameLength), z.unknown()));

export type Metadata = Record<string, unknown>;
