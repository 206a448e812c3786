/**
 * A thumb up/down and a note on one message. A thumb is sent at once; the note is written in a small
 * form under the thumbs and sent with the thumb chosen (Save). What was given shows pressed, the note
 * under it; a failed send says so and keeps what was there before.
 */
import { useState } from 'react';
import type { Thumb } from '../api/scores-api.ts';
import './scoring.css';

export function MessageThumbs(props: {
  /** What was given before (from the collector, or the chat's own memory), if anything. */
  given: Thumb | undefined;
  /** Sends a thumb and note; rejects with an error whose message is shown. */
  onSave: (thumb: Thumb) => Promise<void>;
}) {
  const [given, setGiven] = useState<Thumb | undefined>(props.given);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(props.given?.note ?? '');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const save = async (thumb: Thumb) => {
    setBusy(true);
    setFailure(null);
    try {
      await props.onSave(thumb);
      setGiven(thumb);
      setEditing(false);
    } catch (error) {
      setFailure((error as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const thumbButton = (up: boolean) => (
    <button
      type="button"
      className={`thumb-button${given?.up === up ? ' pressed' : ''}`}
      aria-pressed={given?.up === up}
      aria-label={up ? 'Thumb up' : 'Thumb down'}
      title={up ? 'Good answer' : 'Bad answer'}
      disabled={busy}
      onClick={() => void save({ up, note: given?.note ?? draft })}
    >
      {/* Text glyphs: an emoji thumb needs an emoji font, which many Linux browsers lack. */}
      <span aria-hidden="true">{up ? '▲ Good' : '▼ Bad'}</span>
    </button>
  );

  return (
    <div className="message-thumbs">
      <div className="message-thumbs-row">
        {thumbButton(true)}
        {thumbButton(false)}
        {given && !editing ? (
          <button type="button" className="link-button small" onClick={() => setEditing(true)}>
            {given.note ? 'Edit note' : 'Add a note'}
          </button>
        ) : null}
        {!given ? <span className="muted small">Rate this message</span> : null}
      </div>
      {given?.note && !editing ? <p className="thumb-note">“{given.note}”</p> : null}
      {editing && given ? (
        <form
          className="thumb-note-form"
          onSubmit={(event) => {
            event.preventDefault();
            void save({ up: given.up, note: draft });
          }}
        >
          <textarea
            className="input"
            rows={2}
            aria-label="Note"
            maxLength={2000}
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
          />
          <div className="thumb-note-actions">
            <button type="submit" className="button button-primary small" disabled={busy}>
              Save note
            </button>
            <button type="button" className="button small" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
      {failure ? (
        <p className="thumb-failure" role="alert">
          Not saved: {failure}
        </p>
      ) : null}
    </div>
  );
}
