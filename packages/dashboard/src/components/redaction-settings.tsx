/**
 * The project's redaction rules: built-in detectors to turn on and the project's own patterns. An admin
 * key edits and saves them (the collector checks each pattern and names what is wrong); any other key
 * sees them read-only.
 */
import { useId, useState } from 'react';
import type { ApiError } from '../api/api-error.ts';
import type { ApiClient } from '../api/client.ts';
import {
  type ProjectSettings,
  type RedactionDetector,
  type RedactionPattern,
  saveProjectSettings,
} from '../api/project-settings-api.ts';
import { DETECTORS } from '../lib/redaction-labels.ts';

/** Layout of the form (the shared stylesheet has no fieldset or checkbox-list rules). */
const STYLES = {
  fieldset: { border: 0, padding: 0, margin: '12px 0', display: 'flex', flexDirection: 'column', gap: 6 },
  detector: { display: 'flex', gap: 8, alignItems: 'baseline' },
  pattern: { display: 'flex', gap: 8, alignItems: 'flex-start', flexWrap: 'wrap' },
} as const;

interface Draft {
  detectors: RedactionDetector[];
  patterns: RedactionPattern[];
}

const toDraft = (settings: ProjectSettings): Draft => ({
  detectors: settings.redaction?.detectors ?? [],
  patterns: settings.redaction?.patterns ?? [],
});

export function RedactionSettings(props: {
  settings: ProjectSettings;
  client: ApiClient;
  canEdit: boolean;
  onSaved(settings: ProjectSettings): void;
}) {
  const [draft, setDraft] = useState<Draft>(() => toDraft(props.settings));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const dirty = JSON.stringify(draft) !== JSON.stringify(toDraft(props.settings));
  const issueAt = (path: string) => error?.issues.find((issue) => issue.path === path)?.message ?? null;

  const save = async () => {
    setSaving(true);
    setError(null);
    setSaved(false);
    try {
      const patterns = draft.patterns.map((p) => (p.replacement ? p : { name: p.name, pattern: p.pattern }));
      const settings = await saveProjectSettings(props.client, {
        redaction: { detectors: draft.detectors, patterns },
      });
      setDraft(toDraft(settings));
      setSaved(true);
      props.onSaved(settings);
    } catch (caught) {
      setError(caught as ApiError);
    } finally {
      setSaving(false);
    }
  };
  const toggle = (name: RedactionDetector, on: boolean) =>
    setDraft((d) => ({
      ...d,
      detectors: on ? [...d.detectors, name] : d.detectors.filter((x) => x !== name),
    }));
  const setPattern = (index: number, change: Partial<RedactionPattern>) =>
    setDraft((d) => ({ ...d, patterns: d.patterns.map((p, i) => (i === index ? { ...p, ...change } : p)) }));

  return (
    <div>
      <p className="muted">
        Applied by the collector to every event before it is written (ingest API, OTLP, trackers): matches
        become <code>[REDACTED:rule]</code>. An event on which a rule fails is refused, never stored raw. Ids
        (conversation, customer, message) are not redacted.
      </p>
      <fieldset style={STYLES.fieldset} disabled={!props.canEdit}>
        <legend className="field-label">Built-in detectors</legend>
        {DETECTORS.map((detector) => (
          <label key={detector.name} style={STYLES.detector}>
            <input
              type="checkbox"
              checked={draft.detectors.includes(detector.name)}
              onChange={(event) => toggle(detector.name, event.target.checked)}
            />
            <span>
              {detector.label} <span className="muted small">e.g. {detector.example}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <fieldset style={STYLES.fieldset} disabled={!props.canEdit}>
        <legend className="field-label">Project patterns (JavaScript regular expressions, u flag)</legend>
        {draft.patterns.length === 0 ? <p className="muted small">No pattern.</p> : null}
        {draft.patterns.map((pattern, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place; the index is their identity
          <div key={index} style={STYLES.pattern}>
            <PatternField
              label="Name"
              value={pattern.name}
              placeholder="order_id"
              problem={issueAt(`redaction.patterns.${index}.name`)}
              onChange={(name) => setPattern(index, { name })}
            />
            <PatternField
              label="Pattern"
              value={pattern.pattern}
              placeholder="ORD-\d{6}"
              grow
              problem={issueAt(`redaction.patterns.${index}.pattern`)}
              onChange={(value) => setPattern(index, { pattern: value })}
            />
            <PatternField
              label="Replacement"
              value={pattern.replacement ?? ''}
              placeholder={`[REDACTED:${pattern.name || 'name'}]`}
              problem={issueAt(`redaction.patterns.${index}.replacement`)}
              onChange={(replacement) =>
                setPattern(index, replacement ? { replacement } : { replacement: '' })
              }
            />
            {props.canEdit ? (
              <button
                type="button"
                className="button button-quiet"
                aria-label={`Remove pattern ${pattern.name || index + 1}`}
                onClick={() =>
                  setDraft((d) => ({ ...d, patterns: d.patterns.filter((_, i) => i !== index) }))
                }
              >
                Remove
              </button>
            ) : null}
          </div>
        ))}
        {props.canEdit ? (
          <button
            type="button"
            className="button"
            onClick={() => setDraft((d) => ({ ...d, patterns: [...d.patterns, { name: '', pattern: '' }] }))}
          >
            Add pattern
          </button>
        ) : null}
      </fieldset>
      {props.canEdit ? (
        <div className="form-actions">
          <button type="button" className="button button-primary" disabled={!dirty || saving} onClick={save}>
            {saving ? 'Saving…' : 'Save redaction rules'}
          </button>
          {dirty ? (
            <button
              type="button"
              className="button button-quiet"
              onClick={() => setDraft(toDraft(props.settings))}
            >
              Discard changes
            </button>
          ) : null}
          {saved && !dirty ? (
            <span className="muted small">Saved; in force on this collector now.</span>
          ) : null}
        </div>
      ) : (
        <p className="muted small">Only an admin key can change these rules.</p>
      )}
      {error ? (
        <p className="field-error" role="alert">
          {error.issues.length > 0 ? 'Not saved: see the fields marked above.' : error.message}
        </p>
      ) : null}
    </div>
  );
}

function PatternField(props: {
  label: string;
  value: string;
  placeholder: string;
  problem: string | null;
  grow?: boolean;
  onChange(value: string): void;
}) {
  const id = useId();
  return (
    <div className={props.grow ? 'field field-grow' : 'field'}>
      <label htmlFor={id} className="field-label">
        {props.label}
      </label>
      <input
        id={id}
        className="input"
        value={props.value}
        placeholder={props.placeholder}
        spellCheck={false}
        aria-invalid={props.problem ? true : undefined}
        aria-describedby={props.problem ? `${id}-problem` : undefined}
        onChange={(event) => props.onChange(event.target.value)}
      />
      {props.problem ? (
        <span id={`${id}-problem`} className="field-error small">
          {props.problem}
        </span>
      ) : null}
    </div>
  );
}
