import { useId, useState } from 'react';

/** `key=value` metadata conditions as removable chips; a new one is added with Enter. */
export function MetadataFilter(props: { pairs: string[]; onChange: (pairs: string[]) => void }) {
  const id = useId();
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const add = () => {
    const pair = text.trim();
    if (pair === '') return;
    if (!/^[^=]{1,256}=.{0,1024}$/s.test(pair)) {
      setProblem('Write key=value');
      return;
    }
    if (props.pairs.length >= 10) {
      setProblem('At most 10 conditions');
      return;
    }
    setProblem(null);
    setText('');
    if (!props.pairs.includes(pair)) props.onChange([...props.pairs, pair]);
  };
  return (
    <div className="field metadata-filter">
      <label htmlFor={id} className="field-label">
        Metadata
      </label>
      <div className="chips">
        {props.pairs.map((pair) => (
          <span key={pair} className="chip">
            {pair}
            <button
              type="button"
              className="chip-remove"
              aria-label={`Remove ${pair}`}
              onClick={() => props.onChange(props.pairs.filter((p) => p !== pair))}
            >
              ×
            </button>
          </span>
        ))}
        <input
          id={id}
          className="input"
          placeholder="key=value ⏎"
          value={text}
          aria-invalid={problem ? true : undefined}
          title={problem ?? 'Conversations whose metadata has this value (all conditions must match)'}
          onChange={(event) => {
            setText(event.target.value);
            setProblem(null);
          }}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault();
              add();
            }
          }}
        />
      </div>
      {problem ? <span className="field-error small">{problem}</span> : null}
    </div>
  );
}
