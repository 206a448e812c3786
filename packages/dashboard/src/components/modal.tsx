/**
 * A modal dialog (the native `<dialog>` shown with `showModal()`: the page behind is inert, focus stays
 * inside, Escape cancels), titled by its heading.
 */
import { type ReactNode, useEffect, useId, useRef } from 'react';
import './curation.css';

/** Shows `children` in a modal while `open`; `onCancel` on Escape. */
export function Modal(props: { open: boolean; title: string; onCancel(): void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  return (
    <dialog
      ref={ref}
      className="modal"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        props.onCancel();
      }}
    >
      {props.open ? (
        <>
          <h2 id={titleId} className="modal-title">
            {props.title}
          </h2>
          {props.children}
        </>
      ) : null}
    </dialog>
  );
}
