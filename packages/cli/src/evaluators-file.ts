/**
 * `sightline start --evaluators <file>`: a module (JavaScript, or TypeScript Node runs as it is: erasable
 * syntax only) whose default export, or `evaluators` export, is an array of evaluators (`codeEvaluator`
 * of @sightline/core, `modelEvaluator` of @sightline/agents). Each is checked before the collector
 * starts; a bad one fails the start naming the file and its place.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Evaluator } from '@sightline/core';

/** Loads and checks the evaluators a module exports (see the file comment). */
export async function loadEvaluators(file: string): Promise<Evaluator[]> {
  const where = `--evaluators ${file}`;
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(resolve(file)).href)) as Record<string, unknown>;
  } catch (error) {
    throw new Error(
      `${where}: could not load it: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    );
  }
  const list = module.evaluators ?? module.default;
  if (!Array.isArray(list) || list.length === 0)
    throw new Error(`${where}: must export an array of evaluators (default export or \`evaluators\`)`);
  const names = new Set<string>();
  list.forEach((candidate: unknown, index) => {
    const problem = evaluatorProblem(candidate);
    if (problem) throw new Error(`${where}: evaluator ${index} ${problem}`);
    const { name } = candidate as Evaluator;
    if (names.has(name)) throw new Error(`${where}: evaluator ${index} repeats the name "${name}"`);
    names.add(name);
  });
  return list as Evaluator[];
}

function evaluatorProblem(candidate: unknown): string | null {
  if (typeof candidate !== 'object' || candidate === null) return 'is not an object';
  const { name, source, evaluate } = candidate as Partial<Evaluator>;
  if (typeof name !== 'string' || name.length === 0 || name.length > 200)
    return 'needs a name (1 to 200 characters)';
  if (source !== 'code' && source !== 'model') return `"${name}" needs source "code" or "model"`;
  if (typeof evaluate !== 'function') return `"${name}" needs an evaluate function`;
  return null;
}
