import type { KeyboardEvent } from 'react';

/**
 * Keyboard behaviour of clickable table rows: Enter (or Space) opens, ArrowUp/ArrowDown move focus
 * to the neighbouring row, Home/End to the first/last.
 */
export function onRowKeyDown(event: KeyboardEvent<HTMLElement>, open: () => void): void {
  const row = event.currentTarget;
  const move = (target: Element | null | undefined) => {
    if (target instanceof HTMLElement) {
      event.preventDefault();
      target.focus();
    }
  };
  switch (event.key) {
    case 'Enter':
    case ' ':
      if (event.target !== row) return;
      event.preventDefault();
      open();
      return;
    case 'ArrowDown':
      move(row.nextElementSibling);
      return;
    case 'ArrowUp':
      move(row.previousElementSibling);
      return;
    case 'Home':
      move(row.parentElement?.firstElementChild);
      return;
    case 'End':
      move(row.parentElement?.lastElementChild);
      return;
  }
}
