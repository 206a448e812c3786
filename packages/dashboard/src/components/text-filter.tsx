import { useEffect, useId, useRef, useState } from 'react';

/**
 * A text field that applies its value when typing pauses (or on Enter), so each keystroke does not
 * query the collector, and that follows the route when it changes elsewhere (back button, links).
 */
export function TextFilter(props: {
  label: string;
  value: string | undefined;
  onCommit: (value: string | undefined) => void;
  placeholder?: string;
  delayMs?: number;
  className?: string;
}) {
  const id = useId();
  const [text, setText] = useState(props.value ?? '');
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const committed = useRef(props.value ?? '');
  const onCommit = useRef(props.onCommit);
  onCommit.current = props.onCommit;

  useEffect(() => {
    committed.current = props.value ?? '';
    setText(props.value ?? '');
  }, [props.value]);

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const commit = (value: string) => {
    if (timer.current) clearTimeout(timer.current);
    const trimmed = value.trim();
    if (trimmed === committed.current) return;
    committed.current = trimmed;
    onCommit.current(trimmed === '' ? undefined : trimmed);
  };

  return (
    <div className={`field ${props.className ?? ''}`}>
      <label htmlFor={id} className="field-label">
        {props.label}
      </label>
      <input
        id={id}
        className="input"
        type="search"
        value={text}
        placeholder={props.placeholder}
        onChange={(event) => {
          const value = event.target.value;
          setText(value);
          if (timer.current) clearTimeout(timer.current);
          timer.current = setTimeout(() => commit(value), props.delayMs ?? 450);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter') commit(text);
        }}
        onBlur={() => commit(text)}
      />
    </div>
  );
}
