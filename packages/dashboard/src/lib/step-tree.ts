/**
 * The step tree of a conversation: steps arrive flat with `parentId` links; this builds the tree
 * (children in start order, unknown parents become roots) and flattens the visible part into rows
 * for a virtualized list. Iterative, so a 10,000-step or deeply nested conversation does not recurse.
 */
import type { StoredStep } from '../api/types.ts';

export interface StepNode {
  step: StoredStep;
  children: StepNode[];
  /** Start and end in epoch ms (end = start when unknown). */
  start: number;
  end: number;
  /** True when this step or a descendant failed. */
  failedWithin: boolean;
}

export interface StepRow {
  node: StepNode;
  depth: number;
  /** Whether the row's children are shown. */
  expanded: boolean;
}

export function stepStart(step: StoredStep): number {
  return Date.parse(step.startedAt);
}

export function stepEnd(step: StoredStep): number {
  if (step.endedAt) return Date.parse(step.endedAt);
  if (step.durationMs !== null) return stepStart(step) + step.durationMs;
  return stepStart(step);
}

const byStart = (a: StepNode, b: StepNode) => a.start - b.start || a.step.id.localeCompare(b.step.id);

/** Builds the forest of steps. */
export function buildStepTree(steps: readonly StoredStep[]): StepNode[] {
  const nodes = new Map<string, StepNode>();
  for (const step of steps) {
    nodes.set(step.id, {
      step,
      children: [],
      start: stepStart(step),
      end: stepEnd(step),
      failedWithin: step.error !== null,
    });
  }
  const roots: StepNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.step.parentId ? nodes.get(node.step.parentId) : undefined;
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  // Sort children and carry errors up, children before parents (reverse of a pre-order walk).
  const order: StepNode[] = [];
  const stack = [...roots];
  while (stack.length > 0) {
    const node = stack.pop()!;
    order.push(node);
    for (const child of node.children) stack.push(child);
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i]!;
    node.children.sort(byStart);
    for (const child of node.children) if (child.failedWithin) node.failedWithin = true;
  }
  return roots.sort(byStart);
}

/** The rows a tree view shows: every root, and the children of nodes not in `collapsed`. */
export function visibleRows(roots: readonly StepNode[], collapsed: ReadonlySet<string>): StepRow[] {
  const rows: StepRow[] = [];
  const stack: Array<{ node: StepNode; depth: number }> = [];
  for (let i = roots.length - 1; i >= 0; i--) stack.push({ node: roots[i]!, depth: 0 });
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    const expanded = node.children.length > 0 && !collapsed.has(node.step.id);
    rows.push({ node, depth, expanded });
    if (expanded)
      for (let i = node.children.length - 1; i >= 0; i--)
        stack.push({ node: node.children[i]!, depth: depth + 1 });
  }
  return rows;
}

/** The ids of a step's ancestors, nearest first (to reveal a selected step inside collapsed parents). */
export function ancestorIds(steps: readonly StoredStep[], id: string): string[] {
  const byId = new Map(steps.map((step) => [step.id, step]));
  const ids: string[] = [];
  let current = byId.get(id)?.parentId ?? null;
  while (current && !ids.includes(current) && byId.has(current)) {
    ids.push(current);
    current = byId.get(current)?.parentId ?? null;
  }
  return ids;
}

/** Earliest start and latest end over all steps (for the waterfall scale). */
export function timeBounds(steps: readonly StoredStep[]): { start: number; end: number } {
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const step of steps) {
    start = Math.min(start, stepStart(step));
    end = Math.max(end, stepEnd(step));
  }
  if (!Number.isFinite(start)) return { start: 0, end: 1 };
  return { start, end: Math.max(end, start + 1) };
}
