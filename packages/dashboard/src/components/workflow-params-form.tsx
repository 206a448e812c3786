/**
 * Starts a workflow run: one field per parameter of its JSON schema (text, number, yes/no, a list for
 * an enum, JSON for anything nested), then Start. The server validates; its 400 names the field.
 */
import { type FormEvent, useId, useState } from 'react';
import type { JsonSchema } from '../chat/workflows-client.ts';

type FieldKind = 'text' | 'number' | 'boolean' | 'enum' | 'json';

function kindOf(schema: JsonSchema): FieldKind {
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (Array.isArray(schema.enum) && schema.enum.every((value) => typeof value === 'string')) return 'enum';
  if (type === 'string') return 'text';
  if (type === 'number' || type === 'integer') return 'number';
  if (type === 'boolean') return 'boolean';
  return 'json';
}

/** Turns the form's values into parameters; an error names the field whose JSON does not parse. */
export function paramsOf(
  schema: JsonSchema,
  values: Record<string, string | boolean>,
): { params: Record<string, unknown> } | { error: string } {
  const params: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    const value = values[name];
    if (value === undefined || value === '') continue;
    const kind = kindOf(field);
    if (kind === 'number') params[name] = Number(value);
    else if (kind === 'json') {
      try {
        params[name] = JSON.parse(String(value));
      } catch {
        return { error: `${name}: must be JSON` };
      }
    } else params[name] = value;
  }
  return { params };
}

function initialValues(schema: JsonSchema): Record<string, string | boolean> {
  const values: Record<string, string | boolean> = {};
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    const kind = kindOf(field);
    if (kind === 'boolean') values[name] = field.default === true;
    else if (field.default !== undefined)
      values[name] = kind === 'json' ? JSON.stringify(field.default) : String(field.default);
    else values[name] = kind === 'enum' ? String(field.enum?.[0] ?? '') : '';
  }
  return values;
}

export function WorkflowParamsForm(props: {
  schema: JsonSchema;
  busy: boolean;
  onStart: (params: Record<string, unknown>) => void;
}) {
  const { schema } = props;
  const baseId = useId();
  const [values, setValues] = useState(() => initialValues(schema));
  const [problem, setProblem] = useState<string | null>(null);
  const fields = Object.entries(schema.properties ?? {});
  const required = new Set(schema.required ?? []);
  const set = (name: string, value: string | boolean) =>
    setValues((current) => ({ ...current, [name]: value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const outcome = paramsOf(schema, values);
    if ('error' in outcome) return setProblem(outcome.error);
    setProblem(null);
    props.onStart(outcome.params);
  };

  return (
    <form className="panel wf-start" onSubmit={submit} aria-label="Start a run">
      <h2>Start a run</h2>
      {fields.length === 0 ? <p className="muted">This workflow takes no parameters.</p> : null}
      {fields.map(([name, field]) => {
        const id = `${baseId}-${name}`;
        const kind = kindOf(field);
        const label = `${field.title ?? name}${required.has(name) ? ' *' : ''}`;
        if (kind === 'boolean')
          return (
            <label key={name} className="wf-check">
              <input
                type="checkbox"
                checked={values[name] === true}
                onChange={(e) => set(name, e.target.checked)}
              />
              {label}
              {field.description ? <span className="muted small"> — {field.description}</span> : null}
            </label>
          );
        return (
          <div key={name} className="field wf-field">
            <label htmlFor={id} className="field-label">
              {label}
            </label>
            {kind === 'enum' ? (
              <select
                id={id}
                className="input"
                value={String(values[name])}
                onChange={(e) => set(name, e.target.value)}
              >
                {(field.enum as string[]).map((option) => (
                  <option key={option}>{option}</option>
                ))}
              </select>
            ) : kind === 'json' ? (
              <textarea
                id={id}
                className="input wf-json"
                rows={3}
                value={String(values[name])}
                onChange={(e) => set(name, e.target.value)}
              />
            ) : (
              <input
                id={id}
                className="input"
                type={kind === 'number' ? 'number' : 'text'}
                step="any"
                value={String(values[name])}
                onChange={(e) => set(name, e.target.value)}
              />
            )}
            {field.description ? <span className="muted small">{field.description}</span> : null}
          </div>
        );
      })}
      {problem ? (
        <p className="field-error" role="alert">
          {problem}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={props.busy}>
          {props.busy ? 'Starting…' : 'Start'}
        </button>
      </div>
    </form>
  );
}
