/**
 * Limits on the shape of a JSON body that no schema expresses: how deep it nests (a value nested
 * thousands of levels deep overflows the stack of whatever walks it later: a 500), and prototype keys
 * (`__proto__`, `constructor`, `prototype`: they reach an object's prototype when the body is spread or
 * merged). Both are a 400 naming the place.
 */
import { SightlineError } from '../errors.ts';
import { PROTOTYPE_KEYS } from '../json-value.ts';

/** Deepest nesting accepted in a request body (objects and arrays). */
export const MAX_JSON_DEPTH = 100;

/** A node of the walk: its parent link builds the path only when an error needs it. */
interface Node {
  value: unknown;
  key: string;
  parent: Node | undefined;
  depth: number;
}

/** Throws a 400 naming the place when `value` nests deeper than `maxDepth` or has a prototype key. */
export function checkJsonShape(value: unknown, maxDepth = MAX_JSON_DEPTH): void {
  const stack: Node[] = [{ value, key: '', parent: undefined, depth: 0 }];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (!node.value || typeof node.value !== 'object') continue;
    if (node.depth >= maxDepth) {
      throw new SightlineError('invalid_request', `the body nests deeper than ${maxDepth} levels`, {
        issues: [{ path: pathOf(node), message: `must nest at most ${maxDepth} levels deep` }],
      });
    }
    for (const [key, child] of Object.entries(node.value)) {
      const next = { value: child, key, parent: node, depth: node.depth + 1 };
      if (PROTOTYPE_KEYS.has(key)) {
        const path = pathOf(next);
        throw new SightlineError('invalid_request', `${path}: "${key}" is not accepted as a key`, {
          issues: [{ path, message: 'must not be a key' }],
        });
      }
      stack.push(next);
    }
  }
}

/** The dotted path of a node, its middle elided when long (else the error would be as big as the body). */
function pathOf(node: Node): string {
  const path: string[] = [];
  for (let at: Node | undefined = node; at?.parent; at = at.parent) path.unshift(at.key);
  if (path.length <= 8) return path.join('.');
  return [...path.slice(0, 4), '…', ...path.slice(-2)].join('.');
}
