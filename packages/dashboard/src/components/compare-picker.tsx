/**
 * Picks the two sides of an experiment comparison: the base (the items' source conversations, or an
 * experiment) and the candidate experiment; **Compare** opens `/datasets/<id>/compare?candidate=&base=`.
 */
import { useId, useState } from 'react';
import type { Experiment } from '../api/types.ts';
import { navigate, pathOf, routeTo } from '../router/hash-router.ts';

/** The base select's value for the items' source conversations. */
const SOURCE = '';

/** The route of a comparison (base null: the source conversations). */
export function comparisonRoute(
  datasetId: string,
  sides: { candidate: string; base: string | null },
): string {
  return routeTo(`${pathOf('datasets', datasetId)}/compare`, {
    candidate: sides.candidate,
    base: sides.base,
  });
}

/** How an experiment reads in a picker: its name and the agent version it ran. */
export function experimentLabel(experiment: Experiment): string {
  return experiment.agentVersion ? `${experiment.name} · ${experiment.agentVersion}` : experiment.name;
}

/** Two selects and a Compare button; starts on `current`, else the newest experiment against the source. */
export function ComparePicker(props: {
  datasetId: string;
  /** Newest first. */
  experiments: Experiment[];
  current?: { candidate: string; base: string | null } | undefined;
}) {
  const id = useId();
  const newest = props.experiments[0]?.id ?? '';
  const [candidate, setCandidate] = useState(props.current?.candidate ?? newest);
  const [base, setBase] = useState(props.current?.base ?? SOURCE);
  const same = base === candidate;
  return (
    <form
      className="compare-picker"
      aria-label="Compare experiments"
      onSubmit={(event) => {
        event.preventDefault();
        navigate(comparisonRoute(props.datasetId, { candidate, base: base === SOURCE ? null : base }));
      }}
    >
      <label className="field" htmlFor={`${id}-base`}>
        <span className="field-label">Base</span>
        <select id={`${id}-base`} className="input" value={base} onChange={(e) => setBase(e.target.value)}>
          <option value={SOURCE}>Source conversations</option>
          {props.experiments.map((experiment) => (
            <option key={experiment.id} value={experiment.id}>
              {experimentLabel(experiment)}
            </option>
          ))}
        </select>
      </label>
      <label className="field" htmlFor={`${id}-candidate`}>
        <span className="field-label">Candidate</span>
        <select
          id={`${id}-candidate`}
          className="input"
          value={candidate}
          onChange={(e) => setCandidate(e.target.value)}
        >
          {props.experiments.map((experiment) => (
            <option key={experiment.id} value={experiment.id}>
              {experimentLabel(experiment)}
            </option>
          ))}
        </select>
      </label>
      <button
        type="submit"
        className="button button-primary"
        disabled={!candidate || same}
        title={same ? 'Pick two different sides' : undefined}
      >
        Compare
      </button>
    </form>
  );
}
