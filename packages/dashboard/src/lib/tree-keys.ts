/**
 * Keyboard behaviour of the step tree (WAI-ARIA tree pattern): ↑/↓ move, Home/End jump, → expands
 * or enters the first child, ← collapses or goes to the parent, Enter/Space toggle.
 */
import type { StepRow } from './step-tree.ts';

export interface TreeKeyAction {
  /** Step id to select. */
  select?: string;
  /** Toggle the current row's children. */
  toggle?: boolean;
}

/** What a key press on row `index` does, or null when the key is not the tree's. */
export function treeKeyAction(
  key: string,
  rows: readonly StepRow[],
  index: number,
  isVisible: (id: string) => boolean,
): TreeKeyAction | null {
  const row = rows[index];
  if (!row) return null;
  const idOf = (target: StepRow | undefined) => (target ? { select: target.node.step.id } : {});
  const hasChildren = row.node.children.length > 0;
  switch (key) {
    case 'ArrowDown':
      return idOf(rows[index + 1]);
    case 'ArrowUp':
      return idOf(rows[index - 1]);
    case 'Home':
      return idOf(rows[0]);
    case 'End':
      return idOf(rows[rows.length - 1]);
    case 'ArrowRight':
      if (hasChildren && !row.expanded) return { toggle: true };
      return row.expanded ? idOf(rows[index + 1]) : {};
    case 'ArrowLeft': {
      if (row.expanded) return { toggle: true };
      const parent = row.node.step.parentId;
      return parent && isVisible(parent) ? { select: parent } : {};
    }
    case 'Enter':
    case ' ':
      return hasChildren ? { toggle: true } : null;
    default:
      return null;
  }
}
