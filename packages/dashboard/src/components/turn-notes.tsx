/**
 * Why a turn reads as it does when it did not end with an answer the person got: the guardrail that
 * stopped it and its reason, the error the run failed with, or an answer the run did not return.
 */
import { guardrailReason, type TurnOutcome } from '../lib/turn-outcome.ts';

export const OUTCOME_LABELS: Record<TurnOutcome['kind'], string> = {
  running: 'Agent (in progress)',
  blocked: 'Blocked by a guardrail',
  failed: 'Agent (failed)',
  unanswered: 'Agent (no answer)',
};

/** Why a turn has no agent message: the guardrail's reason, or the error that ended the run. */
export function OutcomeNote(props: { outcome: TurnOutcome; humanRecorded: boolean }) {
  const { outcome } = props;
  if (outcome.kind === 'running') return null;
  if (outcome.kind === 'blocked')
    return (
      <div className="turn-note turn-note-blocked" role="note">
        <p>
          The guardrail <code>{outcome.guardrail}</code> stopped this run
          {outcome.reason ? (
            <>
              : <strong>{outcome.reason}</strong>
            </>
          ) : (
            '.'
          )}
        </p>
        <p className="muted small">
          No agent answer was sent.
          {props.humanRecorded
            ? ''
            : ' The blocked message itself was not recorded: the run stopped before any model call.'}
        </p>
      </div>
    );
  if (outcome.kind === 'failed')
    return (
      <div className="turn-note turn-note-failed" role="note">
        <p>The run failed before answering: {outcome.message}</p>
      </div>
    );
  return <p className="turn-note muted small">The run ended without an agent message.</p>;
}

/** Under an agent message the run did not return: it failed afterwards, e.g. an output guardrail blocked it. */
export function RunErrorNote(props: { error: string; guardrail: string | undefined }) {
  const reason = guardrailReason(props.error);
  return (
    <div className="turn-note turn-note-blocked" role="note">
      {props.guardrail ? (
        <p>
          The guardrail <code>{props.guardrail}</code> blocked this answer
          {reason ? (
            <>
              : <strong>{reason}</strong>
            </>
          ) : (
            '.'
          )}
        </p>
      ) : (
        <p>The run failed after this answer: {props.error}</p>
      )}
      <p className="muted small">The run failed, so this text was not returned as its result.</p>
    </div>
  );
}
