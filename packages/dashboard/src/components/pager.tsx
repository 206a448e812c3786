/** Cursor pagination controls: back to the first page, previous (when known), next. */
export function Pager(props: {
  onFirst?: (() => void) | undefined;
  onPrevious?: (() => void) | undefined;
  onNext?: (() => void) | undefined;
  label?: string;
  /** Explains the label (a tooltip). */
  labelTitle?: string;
}) {
  return (
    <nav className="pager" aria-label="Pagination">
      {props.label ? (
        <span className="muted pager-label" title={props.labelTitle}>
          {props.label}
        </span>
      ) : null}
      <button type="button" className="button" disabled={!props.onFirst} onClick={props.onFirst}>
        First
      </button>
      <button type="button" className="button" disabled={!props.onPrevious} onClick={props.onPrevious}>
        ← Previous
      </button>
      <button type="button" className="button" disabled={!props.onNext} onClick={props.onNext}>
        Next →
      </button>
    </nav>
  );
}
