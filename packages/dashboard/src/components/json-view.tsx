/**
 * A foldable JSON viewer for step inputs, outputs, errors and metadata: objects and arrays open to
 * `openDepth` levels, long collections show 100 children at a time, long strings are clipped until
 * asked. A string holding JSON text is shown as the JSON it holds.
 */
import { useState } from 'react';

const PAGE = 100;
const LONG_STRING = 600;

function parsedJsonText(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (!(text.startsWith('{') || text.startsWith('['))) return value;
  try {
    return JSON.parse(text);
  } catch {
    return value;
  }
}

export function JsonView(props: { value: unknown; openDepth?: number; label?: string }) {
  const value = parsedJsonText(props.value);
  return (
    <div className="json-view" data-label={props.label}>
      <JsonNode value={value} depth={0} openDepth={props.openDepth ?? 2} />
    </div>
  );
}

function JsonNode(props: {
  name?: string;
  value: unknown;
  depth: number;
  openDepth: number;
  last?: boolean;
}) {
  const { value } = props;
  const key = props.name !== undefined ? <span className="json-key">{props.name}: </span> : null;
  if (value !== null && typeof value === 'object')
    return <JsonCollection {...props} value={value as object} />;
  return (
    <div className="json-line" style={{ paddingLeft: props.depth * 14 }}>
      {key}
      <JsonScalar value={value} />
    </div>
  );
}

function JsonScalar(props: { value: unknown }) {
  const [full, setFull] = useState(false);
  const { value } = props;
  if (value === null || value === undefined) return <span className="json-null">null</span>;
  if (typeof value === 'number') return <span className="json-number">{String(value)}</span>;
  if (typeof value === 'boolean') return <span className="json-boolean">{String(value)}</span>;
  const text = String(value);
  if (text.length <= LONG_STRING || full) return <span className="json-string">"{text}"</span>;
  return (
    <span className="json-string">
      "{text.slice(0, LONG_STRING)}…"{' '}
      <button type="button" className="link-button" onClick={() => setFull(true)}>
        show all {text.length.toLocaleString('en')} characters
      </button>
    </span>
  );
}

function JsonCollection(props: { name?: string; value: object; depth: number; openDepth: number }) {
  const isArray = Array.isArray(props.value);
  const entries = isArray
    ? (props.value as unknown[]).map((item, index) => [String(index), item] as const)
    : Object.entries(props.value);
  const [open, setOpen] = useState(props.depth < props.openDepth && entries.length <= 200);
  const [shown, setShown] = useState(PAGE);
  const [openChar, closeChar] = isArray ? ['[', ']'] : ['{', '}'];
  const summary = `${entries.length} ${isArray ? (entries.length === 1 ? 'item' : 'items') : entries.length === 1 ? 'key' : 'keys'}`;
  if (entries.length === 0)
    return (
      <div className="json-line" style={{ paddingLeft: props.depth * 14 }}>
        {props.name !== undefined ? <span className="json-key">{props.name}: </span> : null}
        <span className="json-punct">
          {openChar}
          {closeChar}
        </span>
      </div>
    );
  return (
    <div>
      <div className="json-line" style={{ paddingLeft: props.depth * 14 }}>
        <button
          type="button"
          className="json-toggle"
          aria-expanded={open}
          onClick={() => setOpen(!open)}
          title={open ? 'Fold' : 'Unfold'}
        >
          {open ? '▾' : '▸'}
        </button>
        {props.name !== undefined ? <span className="json-key">{props.name}: </span> : null}
        <span className="json-punct">{openChar}</span>
        {open ? null : (
          <>
            <span className="json-summary"> {summary} </span>
            <span className="json-punct">{closeChar}</span>
          </>
        )}
      </div>
      {open ? (
        <>
          {entries.slice(0, shown).map(([name, child]) => (
            <JsonNode
              key={name}
              {...(isArray ? { name } : { name: JSON.stringify(name).slice(1, -1) })}
              value={child}
              depth={props.depth + 1}
              openDepth={props.openDepth}
            />
          ))}
          {entries.length > shown ? (
            <div className="json-line" style={{ paddingLeft: (props.depth + 1) * 14 }}>
              <button type="button" className="link-button" onClick={() => setShown(shown + PAGE)}>
                show {Math.min(PAGE, entries.length - shown)} more of {entries.length - shown}
              </button>
            </div>
          ) : null}
          <div className="json-line json-punct" style={{ paddingLeft: props.depth * 14 }}>
            {closeChar}
          </div>
        </>
      ) : null}
    </div>
  );
}
