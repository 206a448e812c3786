/**
 * Limits on the shape of a JSON body that no schema expresses: how deep it nests (a run context nested
 * thousands of levels deep made the run's state impossible to serialize: a 500), and `__proto__` keys
 * (which would set the prototype of the objects built from the body). Both are a 400 naming the place.
 */
import type { Context } from 'hono';
import type { z } from 'zod';
import { ServeError } from '../errors.ts';
import { parseWith, readJsonValue } from './request-body.ts';

/** Deepest nesting accepted in a request body (objects and arrays). */
export const MAX_JSON_DEPTH = 100;

/** A node of the walk: its parent link builds the path only when an error needs it. */
interface Node {
  value: unknown;
  key: string;
  parent: Node | undefined;
  depth: number;
}

/** Throws a 400 naming the place when `value` nests deeper than `maxDepth` or has a `__proto__` key. */
export function checkJsonShape(value: unknown, maxDepth = MAX_JSON_DEPTH): void {
  const stack: Node[] = [{ value, key: '', parent: undefined, depth: 0 }];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (!node.value || typeof node.value !== 'object') continue;
    if (node.depth >= maxDepth) {
      throw new ServeError('invalid_request', `the body nests deeper than ${maxDepth} levels`, {
        issues: [{ path: pathOf(node), message: `must nest at most ${maxDepth} levels deep` }],
      });
    }
    for (const [key, child] of Object.entries(node.value)) {
      const next = { value: child, key, parent: node, depth: node.depth + 1 };
      if (key === '__proto__') {
        const path = pathOf(next);
        throw new ServeError('invalid_request', `${path}: "__proto__" is not accepted as a key`, {
          issues: [{ path, message: 'must not be a key' }],
        });
      }
      stack.push(next);
    }
  }
}

/** Reads a JSON body (size, content type, syntax), checks its shape, then validates it with `schema`. */
export async function readCheckedJson<T>(c: Context, schema: z.ZodType<T>, maxBytes?: number): Promise<T> {
  return parseWith(schema, await readCheckedJsonValue(c, maxBytes));
}

/** Reads a JSON body (size, content type, syntax) and checks its shape; the caller validates it. */
export async function readCheckedJsonValue(c: Context, maxBytes?: number): Promise<unknown> {
  const raw = await readJsonValue(c, maxBytes);
  checkJsonShape(raw);
  return raw;
}

/** The dotted path of a node, its middle elided when long (else the error would be as big as the body). */
function pathOf(node: Node): string {
  const path: string[] = [];
  for (let at: Node | undefined = node; at?.parent; at = at.parent) path.unshift(at.key);
  if (path.length <= 8) return path.join('.');
  return [...path.slice(0, 4), '…', ...path.slice(-2)].join('.');
}
