import { useId } from 'react';
import { fromLocalInput, RANGE_PRESETS, type TimeRange, toLocalInput } from '../lib/time-range.ts';

/** Chooses a time range: a preset, all time (when allowed), or custom from/to in local time. */
export function RangeSelect(props: {
  value: TimeRange;
  onChange: (range: TimeRange) => void;
  allowAll?: boolean;
}) {
  const id = useId();
  const { value } = props;
  return (
    <div className="range-select">
      <label htmlFor={id} className="visually-hidden">
        Time range
      </label>
      <select
        id={id}
        className="input"
        value={value.preset}
        onChange={(event) => {
          const preset = event.target.value as TimeRange['preset'];
          if (preset === 'custom') {
            const to = new Date().toISOString();
            props.onChange({ preset, from: new Date(Date.now() - 86_400_000).toISOString(), to });
          } else props.onChange({ preset });
        }}
      >
        {RANGE_PRESETS.map((preset) => (
          <option key={preset.id} value={preset.id}>
            {preset.label}
          </option>
        ))}
        {props.allowAll ? <option value="all">All time</option> : null}
        <option value="custom">Custom…</option>
      </select>
      {value.preset === 'custom' ? (
        <>
          <input
            type="datetime-local"
            className="input"
            aria-label="From"
            value={toLocalInput(value.from)}
            onChange={(event) => {
              const from = fromLocalInput(event.target.value);
              props.onChange({
                preset: 'custom',
                ...(from ? { from } : {}),
                ...(value.to ? { to: value.to } : {}),
              });
            }}
          />
          <input
            type="datetime-local"
            className="input"
            aria-label="To"
            value={toLocalInput(value.to)}
            onChange={(event) => {
              const to = fromLocalInput(event.target.value);
              props.onChange({
                preset: 'custom',
                ...(value.from ? { from: value.from } : {}),
                ...(to ? { to } : {}),
              });
            }}
          />
        </>
      ) : null}
    </div>
  );
}
