/**
 * One dataset item in a comparison: its human turns with the base's and the candidate's answers side by
 * side (a changed answer marked), the tool calls of each, their cost, latency and scores with the change,
 * and links to both conversations.
 */
import type { ComparisonItem, ComparisonSide } from '../api/types.ts';
import { isChanged, itemRows } from '../lib/comparison-rows.ts';
import { truncate } from '../lib/format.ts';
import { pathOf } from '../router/hash-router.ts';
import { ComparisonFigures, type SideLabel } from './comparison-figures.tsx';

export interface ComparisonItemProps {
  item: ComparisonItem;
  /** 1-based, in dataset order. */
  index: number;
  base: SideLabel;
  candidate: SideLabel;
}

/** Whether a turn's two answers differ (as the comparison's `answersChanged` compares them: exactly). */
function answerDiffers(item: ComparisonItem, turn: number): boolean {
  const read = (side: ComparisonSide | null) => side?.answers[turn] ?? null;
  return item.answersChanged && read(item.base) !== read(item.candidate);
}

export function ComparisonItemView(props: ComparisonItemProps) {
  const { item, index } = props;
  const changed = isChanged(item);
  const first = item.humanTurns[0] ?? '';
  return (
    <article
      className={`panel comparison-item${changed ? ' is-changed' : ''}`}
      aria-labelledby={`item-${item.itemId}`}
      data-item-id={item.itemId}
    >
      <header className="comparison-item-head">
        <h3 id={`item-${item.itemId}`} title={first}>
          <span className="muted">#{index}</span> {truncate(first, 100)}
        </h3>
        <ChangeTags item={item} />
      </header>
      <ConversationLinks item={item} base={props.base} candidate={props.candidate} />
      <ol className="comparison-turns">
        {item.humanTurns.map((human, turn) => (
          <li
            // biome-ignore lint/suspicious/noArrayIndexKey: turns are positional and never reorder
            key={turn}
            className="comparison-turn"
          >
            <p className="comparison-human">
              <span className="comparison-role">Human</span>
              {human}
            </p>
            <div className={`comparison-answers${answerDiffers(item, turn) ? ' is-changed' : ''}`}>
              <Answer label={props.base.name} side={item.base} turn={turn} which="base" />
              <Answer
                label={props.candidate.name}
                side={item.candidate}
                turn={turn}
                which="candidate"
                changed={answerDiffers(item, turn)}
              />
            </div>
          </li>
        ))}
      </ol>
      <div className={`comparison-answers comparison-tools${item.toolCallsChanged ? ' is-changed' : ''}`}>
        <ToolCalls side={item.base} label={props.base.name} />
        <ToolCalls side={item.candidate} label={props.candidate.name} />
      </div>
      <ComparisonFigures
        rows={itemRows(item)}
        base={props.base}
        candidate={props.candidate}
        caption={`Item ${index}: figures`}
        className="comparison-item-figures"
      />
    </article>
  );
}

/** The statuses of a side that ran to its end: a replay that completed, or the item's source conversation. */
const FINISHED = new Set(['completed', 'source']);

function finished(side: ComparisonSide): boolean {
  return FINISHED.has(side.status);
}

/** What changed, what could not be compared, or that nothing changed. */
function ChangeTags(props: { item: ComparisonItem }) {
  const { item } = props;
  const tags: Array<{ text: string; tone: 'changed' | 'same' }> = [];
  if (item.answersChanged) tags.push({ text: 'Answers changed', tone: 'changed' });
  if (item.toolCallsChanged) tags.push({ text: 'Tool calls changed', tone: 'changed' });
  if (item.base === null) tags.push({ text: 'No base conversation', tone: 'same' });
  if (item.candidate === null) tags.push({ text: 'Not replayed', tone: 'same' });
  else if (!finished(item.candidate)) tags.push({ text: 'Candidate stopped', tone: 'changed' });
  if (tags.length === 0) tags.push({ text: 'Unchanged', tone: 'same' });
  return (
    <ul className="change-tags" aria-label="Changes">
      {tags.map((tag) => (
        <li key={tag.text} className={`change-tag${tag.tone === 'same' ? ' change-tag-same' : ''}`}>
          {tag.text}
        </li>
      ))}
    </ul>
  );
}

/** What a side's conversation did not finish, in words (null when it completed). */
function statusNote(side: ComparisonSide): string | null {
  if (finished(side)) return null;
  if (side.status === 'missing') return 'Conversation erased';
  return `Stopped at ${side.status}`;
}

function Answer(props: {
  label: string;
  side: ComparisonSide | null;
  turn: number;
  which: 'base' | 'candidate';
  /** The candidate's answer differs from the base's. */
  changed?: boolean;
}) {
  const { side } = props;
  const text = side?.answers[props.turn] ?? null;
  const note = side ? statusNote(side) : null;
  return (
    <section className={`comparison-answer comparison-${props.which}`} aria-label={`${props.label} answer`}>
      <span className="comparison-role">
        {props.label}
        {props.changed ? <span className="changed-note">changed</span> : null}
      </span>
      {side === null ? (
        <p className="untitled">{props.which === 'base' ? 'No base conversation' : 'Not replayed'}</p>
      ) : text === null ? (
        <p className="untitled">No answer</p>
      ) : (
        <p className="comparison-text">{text}</p>
      )}
      {note && props.turn === 0 ? <p className="comparison-status">{note}</p> : null}
    </section>
  );
}

function ToolCalls(props: { side: ComparisonSide | null; label: string }) {
  const calls = props.side?.toolCalls ?? [];
  return (
    <section className="comparison-answer" aria-label={`${props.label} tool calls`}>
      <span className="comparison-role">Tool calls · {props.label}</span>
      {props.side === null ? (
        <p className="untitled">–</p>
      ) : calls.length === 0 ? (
        <p className="untitled">None</p>
      ) : (
        <ol className="tool-chips">
          {calls.map((name, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the calls in order; a name may repeat
            <li key={i} className="tool-chip">
              {name}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function ConversationLinks(props: { item: ComparisonItem; base: SideLabel; candidate: SideLabel }) {
  const link = (side: ComparisonSide | null, label: string) =>
    side && side.status !== 'missing' ? (
      <a href={`#${pathOf('conversations', side.conversationId)}`}>{label} conversation →</a>
    ) : null;
  const links = [link(props.item.base, props.base.name), link(props.item.candidate, props.candidate.name)];
  if (links.every((l) => l === null)) return null;
  return (
    <p className="comparison-links">
      {links[0]}
      {links[1]}
    </p>
  );
}
