/**
 * What adding conversations to a dataset did, in words: `Added to Refunds`, `Already in Refunds`, or for
 * a filter `Added 12 conversations to Refunds; 3 already in it, 1 without a human turn`.
 */
import type { DatasetItemsAdded } from '@sightline/core';

/** The sentence, and whether anything was added (a success) or nothing was (a notice). */
export interface DatasetOutcome {
  text: string;
  added: boolean;
}

type SkipReason = DatasetItemsAdded['skipped'][number]['reason'];

const SINGLE_SKIP: Record<SkipReason, (name: string) => string> = {
  already_in_dataset: (name) => `Already in ${name}`,
  no_human_turn: (name) => `Not added to ${name}: this conversation has no human turn`,
  not_found: (name) => `Not added to ${name}: the conversation is gone`,
};

const MANY_SKIP: Record<SkipReason, string> = {
  already_in_dataset: 'already in it',
  no_human_turn: 'without a human turn',
  not_found: 'gone',
};

const counted = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** The outcome of adding one conversation (`single`) or those a filter found. */
export function describeDatasetOutcome(
  result: DatasetItemsAdded,
  options: { datasetName: string; single: boolean },
): DatasetOutcome {
  const name = options.datasetName;
  const added = result.added.length > 0;
  if (options.single) {
    const reason = result.skipped[0]?.reason;
    return { text: added || !reason ? `Added to ${name}` : SINGLE_SKIP[reason](name), added };
  }
  const skipped = new Map<SkipReason, number>();
  for (const skip of result.skipped) skipped.set(skip.reason, (skipped.get(skip.reason) ?? 0) + 1);
  const tail = [...skipped].map(([reason, count]) => `${count} ${MANY_SKIP[reason]}`).join(', ');
  if (result.skipped.length === 0 && !added)
    return { text: `No conversation matches the filters; nothing added to ${name}`, added };
  if (!added) return { text: `Nothing added to ${name}: ${tail}`, added };
  const head = `Added ${counted(result.added.length, 'conversation')} to ${name}`;
  return { text: tail ? `${head}; ${tail}` : head, added };
}
