import { useId } from 'react';

/** A labelled select whose empty option means "any". */
export function SelectFilter<T extends string>(props: {
  label: string;
  value: T | undefined;
  options: ReadonlyArray<{ value: T; label: string }>;
  onChange: (value: T | undefined) => void;
  anyLabel?: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id} className="field-label">
        {props.label}
      </label>
      <select
        id={id}
        className="input"
        value={props.value ?? ''}
        onChange={(event) => props.onChange((event.target.value || undefined) as T | undefined)}
      >
        <option value="">{props.anyLabel ?? 'Any'}</option>
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}
