/**
 * The step tree of a conversation as a virtualized list: only the rows in view are in the page, so
 * a 10,000-step conversation scrolls as smoothly as a small one. `timeline` mode adds a waterfall
 * bar per step on one time scale. Keyboard: ↑/↓ move, → expands or enters, ← collapses or goes up,
 * Enter/Space toggles.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, useEffect, useMemo, useRef, useState } from 'react';
import type { StoredStep } from '../api/types.ts';
import { ancestorIds, buildStepTree, type StepRow, timeBounds, visibleRows } from '../lib/step-tree.ts';
import { treeKeyAction } from '../lib/tree-keys.ts';
import { StepListRow } from './step-list-row.tsx';
import { TimelineAxis } from './timeline-axis.tsx';

const ROW_HEIGHT = 30;

export function StepList(props: {
  steps: StoredStep[];
  mode: 'tree' | 'timeline';
  selectedId: string | null;
  onSelect: (id: string) => void;
}) {
  const { steps, selectedId, onSelect } = props;
  const roots = useMemo(() => buildStepTree(steps), [steps]);
  const bounds = useMemo(() => timeBounds(steps), [steps]);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set());
  const rows = useMemo(() => visibleRows(roots, collapsed), [roots, collapsed]);
  const indexById = useMemo(() => new Map(rows.map((row, index) => [row.node.step.id, index])), [rows]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });

  // Reveal a selected step hidden inside collapsed parents (e.g. opened from a link).
  useEffect(() => {
    if (!selectedId || indexById.has(selectedId)) return;
    const hidden = ancestorIds(steps, selectedId).filter((id) => collapsed.has(id));
    if (hidden.length > 0)
      setCollapsed((current) => new Set([...current].filter((id) => !hidden.includes(id))));
  }, [selectedId, indexById, steps, collapsed]);

  // Keep the selected row in view; after a key press, focus it (once the virtualizer has rendered it).
  const focusAfterMove = useRef(false);
  useEffect(() => {
    const index = selectedId ? indexById.get(selectedId) : undefined;
    if (index === undefined || !selectedId) return;
    virtualizer.scrollToIndex(index, { align: 'auto' });
    if (!focusAfterMove.current) return;
    focusAfterMove.current = false;
    let frames = 0;
    let frame = 0;
    const tryFocus = () => {
      const row = scrollRef.current?.querySelector<HTMLElement>(`[data-step-id="${CSS.escape(selectedId)}"]`);
      if (row) row.focus({ preventScroll: true });
      else if (frames++ < 10) frame = requestAnimationFrame(tryFocus);
    };
    frame = requestAnimationFrame(tryFocus);
    return () => cancelAnimationFrame(frame);
  }, [selectedId, indexById, virtualizer]);

  const toggle = (id: string) =>
    setCollapsed((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const onKeyDown = (event: KeyboardEvent, row: StepRow, index: number) => {
    const action = treeKeyAction(event.key, rows, index, (id) => indexById.has(id));
    if (!action) return;
    event.preventDefault();
    focusAfterMove.current = action.select !== undefined;
    if (action.toggle) toggle(row.node.step.id);
    if (action.select) onSelect(action.select);
  };

  const span = bounds.end - bounds.start;
  const focusId = selectedId && indexById.has(selectedId) ? selectedId : rows[0]?.node.step.id;
  return (
    <div className={`step-list step-list-${props.mode}`}>
      <div className="step-list-head" aria-hidden="true">
        <span>Step</span>
        {props.mode === 'timeline' ? (
          <TimelineAxis spanMs={span} />
        ) : (
          <span className="step-cols">
            <span>Duration</span>
            <span>Tokens</span>
            <span>Cost</span>
          </span>
        )}
      </div>
      <div ref={scrollRef} className="step-list-scroll" role="tree" aria-label={`${steps.length} steps`}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index]!;
            return (
              <StepListRow
                key={row.node.step.id}
                row={row}
                top={item.start}
                height={ROW_HEIGHT}
                mode={props.mode}
                selected={row.node.step.id === selectedId}
                focusable={row.node.step.id === focusId}
                bounds={bounds}
                onSelect={() => onSelect(row.node.step.id)}
                onToggle={() => toggle(row.node.step.id)}
                onKeyDown={(event) => onKeyDown(event, row, item.index)}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}
