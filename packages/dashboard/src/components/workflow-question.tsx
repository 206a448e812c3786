/**
 * A workflow's question: `ask` as a text input (masked for a secret) with its suggestions as chips that
 * answer in one click; `choose` as one button per choice (single) or checkboxes and Submit (several).
 * Once answered, or when the run ended first, the controls stay on screen, disabled, showing the answer.
 */
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import type { AnswerAttempt } from '../chat/use-workflow-run.ts';
import type { GivenAnswer } from '../chat/workflow-storage.ts';
import type { AskEvent, ChooseEvent, QuestionState } from '../lib/workflow-conversation.ts';

export interface QuestionProps {
  question: AskEvent | ChooseEvent;
  state: QuestionState;
  /** The answer given from this tab (null: a secret; undefined: none known). */
  given: GivenAnswer | undefined;
  attempt: AnswerAttempt | undefined;
  onAnswer: (answer: string | string[], options?: { secret?: boolean }) => void;
}

const STATE_LABELS: Record<QuestionState, [string, string]> = {
  open: ['waiting for you', 'status-running'],
  answered: ['answered', 'status-ok'],
  closed: ['not answered', 'status-idle'],
};

export function WorkflowQuestion(props: QuestionProps) {
  const { question, state, attempt } = props;
  const promptId = useId();
  const groupRef = useRef<HTMLFieldSetElement>(null);
  const locked = state !== 'open' || attempt?.pending === true;
  const [label, tone] = STATE_LABELS[state];

  // A new question takes the focus (unless the person is busy elsewhere), so keyboard users answer at once.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only when the question first appears
  useEffect(() => {
    if (state !== 'open') return;
    const active = document.activeElement;
    const idle = !active || active === document.body || active.closest('.wf-log, .wf-question');
    const group = groupRef.current;
    const first = group?.querySelector<HTMLElement>('input:not(:disabled)') ?? group?.querySelector('button');
    if (idle) first?.focus();
  }, []);

  return (
    <fieldset
      ref={groupRef}
      className="wf-question"
      aria-labelledby={promptId}
      data-state={state}
      data-question-id={question.questionId}
    >
      <div className="wf-question-head">
        <p id={promptId} className="wf-prompt">
          {question.prompt}
        </p>
        <span className={`status ${tone}`}>{attempt?.pending ? 'sending…' : label}</span>
      </div>
      {question.type === 'ask' ? (
        <AskControls {...props} question={question} locked={locked} promptId={promptId} />
      ) : question.single ? (
        <SingleChoice {...props} question={question} locked={locked} />
      ) : (
        <MultipleChoice {...props} question={question} locked={locked} />
      )}
      {attempt?.error ? (
        <p className="field-error" role="alert">
          Not accepted: {attempt.error.message}
        </p>
      ) : null}
    </fieldset>
  );
}

type ControlProps<Q> = QuestionProps & { question: Q; locked: boolean };

function AskControls(props: ControlProps<AskEvent> & { promptId: string }) {
  const { question, locked, given } = props;
  const [text, setText] = useState('');
  const shown = typeof given === 'string' ? given : text;
  const send = (value: string) => {
    // A secret leaves the field as it is sent (not when the answer's receipt comes back, which can come
    // after the run has already gone on and finished).
    if (question.password) setText('');
    props.onAnswer(value, { secret: question.password });
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!locked && text.trim() !== '') send(text);
  };
  return (
    <>
      {question.suggestions.length > 0 ? (
        <fieldset className="wf-suggestions" aria-label="Suggested answers">
          {question.suggestions.map((suggestion) => (
            <button
              key={suggestion}
              type="button"
              className="wf-chip"
              aria-pressed={given === suggestion}
              disabled={locked}
              onClick={() => send(suggestion)}
            >
              {suggestion}
            </button>
          ))}
        </fieldset>
      ) : null}
      <form className="wf-answer" onSubmit={submit}>
        <input
          className="input wf-input"
          type={question.password ? 'password' : 'text'}
          autoComplete="off"
          aria-labelledby={props.promptId}
          placeholder={
            locked && given === null
              ? 'secret sent'
              : question.password
                ? 'Secret (hidden)'
                : 'Type an answer…'
          }
          value={locked && given === null ? '' : shown}
          disabled={locked}
          onChange={(event) => setText(event.target.value)}
        />
        {props.state === 'open' ? (
          <button type="submit" className="button button-primary" disabled={locked || text.trim() === ''}>
            Send
          </button>
        ) : null}
      </form>
    </>
  );
}

function SingleChoice(props: ControlProps<ChooseEvent>) {
  const { question, locked, given } = props;
  return (
    <div className="wf-choices">
      {question.choices.map((choice) => (
        <button
          key={choice}
          type="button"
          className={`button${given === choice ? ' button-primary' : ''}`}
          aria-pressed={given === choice}
          disabled={locked}
          onClick={() => props.onAnswer(choice)}
        >
          {choice}
        </button>
      ))}
    </div>
  );
}

function MultipleChoice(props: ControlProps<ChooseEvent>) {
  const { question, locked, given } = props;
  const [picked, setPicked] = useState<string[]>([]);
  const checked = Array.isArray(given) ? given : picked;
  const toggle = (choice: string) =>
    setPicked((current) =>
      current.includes(choice) ? current.filter((item) => item !== choice) : [...current, choice],
    );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!locked) props.onAnswer(question.choices.filter((choice) => picked.includes(choice)));
  };
  return (
    <form className="wf-choices" onSubmit={submit}>
      {question.choices.map((choice) => (
        <label key={choice} className="wf-check">
          <input
            type="checkbox"
            checked={checked.includes(choice)}
            disabled={locked}
            onChange={() => toggle(choice)}
          />
          {choice}
        </label>
      ))}
      {props.state === 'open' ? (
        <button type="submit" className="button button-primary" disabled={locked}>
          Submit{picked.length > 0 && !locked ? ` (${picked.length})` : ''}
        </button>
      ) : null}
    </form>
  );
}
