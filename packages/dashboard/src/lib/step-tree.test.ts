import { describe, expect, it } from 'vitest';
import type { StoredStep } from '../api/types.ts';
import { ancestorIds, buildStepTree, timeBounds, visibleRows } from './step-tree.ts';
import { treeKeyAction } from './tree-keys.ts';

function step(
  id: string,
  parentId: string | null,
  startMs: number,
  extra: Partial<StoredStep> = {},
): StoredStep {
  return {
    id,
    conversationId: 'c',
    parentId,
    type: 'tool',
    name: id,
    startedAt: new Date(startMs).toISOString(),
    endedAt: new Date(startMs + 10).toISOString(),
    durationMs: 10,
    input: null,
    output: null,
    error: null,
    toolsUsed: [],
    usage: null,
    metadata: {},
    agentVersion: null,
    ...extra,
  };
}

describe('step tree', () => {
  const steps = [
    step('b', 'run', 30),
    step('run', null, 0, { type: 'agent', endedAt: new Date(100).toISOString() }),
    step('a', 'run', 20, { error: { message: 'boom' } }),
    step('a1', 'a', 25),
    step('orphan', 'missing', 5),
  ];

  it('nests steps under their parents in start order, keeps orphans as roots and marks failures upward', () => {
    const roots = buildStepTree(steps);
    expect(roots.map((n) => n.step.id)).toEqual(['run', 'orphan']);
    expect(roots[0]!.children.map((n) => n.step.id)).toEqual(['a', 'b']);
    expect(roots[0]!.failedWithin).toBe(true);
    expect(roots[1]!.failedWithin).toBe(false);
  });

  it('flattens the visible rows with depths, hiding the children of collapsed steps', () => {
    const roots = buildStepTree(steps);
    expect(visibleRows(roots, new Set()).map((r) => `${r.depth}:${r.node.step.id}`)).toEqual([
      '0:run',
      '1:a',
      '2:a1',
      '1:b',
      '0:orphan',
    ]);
    expect(visibleRows(roots, new Set(['a'])).map((r) => r.node.step.id)).toEqual([
      'run',
      'a',
      'b',
      'orphan',
    ]);
    expect(ancestorIds(steps, 'a1')).toEqual(['a', 'run']);
    expect(timeBounds(steps)).toEqual({ start: 0, end: 100 });
  });

  it('builds a 10,000-deep chain without recursion', () => {
    const chain = Array.from({ length: 10_000 }, (_, i) => step(`s${i}`, i === 0 ? null : `s${i - 1}`, i));
    const rows = visibleRows(buildStepTree(chain), new Set());
    expect(rows).toHaveLength(10_000);
    expect(rows.at(-1)!.depth).toBe(9_999);
  });

  it('maps tree keys: arrows move, right expands or enters, left collapses or goes up', () => {
    const roots = buildStepTree(steps);
    const rows = visibleRows(roots, new Set(['a']));
    const visible = (id: string) => rows.some((r) => r.node.step.id === id);
    expect(treeKeyAction('ArrowDown', rows, 0, visible)).toEqual({ select: 'a' });
    expect(treeKeyAction('ArrowRight', rows, 1, visible)).toEqual({ toggle: true });
    expect(treeKeyAction('ArrowRight', rows, 0, visible)).toEqual({ select: 'a' });
    expect(treeKeyAction('ArrowLeft', rows, 2, visible)).toEqual({ select: 'run' });
    expect(treeKeyAction('ArrowLeft', rows, 0, visible)).toEqual({ toggle: true });
    expect(treeKeyAction('End', rows, 0, visible)).toEqual({ select: 'orphan' });
    expect(treeKeyAction('Enter', rows, 2, visible)).toBeNull();
    expect(treeKeyAction('x', rows, 0, visible)).toBeNull();
  });
});
