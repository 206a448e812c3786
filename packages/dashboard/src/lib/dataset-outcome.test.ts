import type { DatasetItem } from '@sightline/core';
import { describe, expect, it } from 'vitest';
import { describeDatasetOutcome } from './dataset-outcome.ts';

const item = (id: string): DatasetItem => ({
  id,
  datasetId: 'd1',
  sourceConversationId: id,
  turns: [{ human: 'Hi', expected: 'Hello' }],
  createdAt: '2026-01-01T00:00:00.000Z',
});

describe('what adding to a dataset did, in words', () => {
  it('one conversation: added, already in it, no human turn, gone', () => {
    const single = { datasetName: 'Refunds', single: true };
    expect(describeDatasetOutcome({ added: [item('c1')], skipped: [] }, single)).toEqual({
      text: 'Added to Refunds',
      added: true,
    });
    expect(
      describeDatasetOutcome(
        { added: [], skipped: [{ conversationId: 'c1', reason: 'already_in_dataset' }] },
        single,
      ),
    ).toEqual({ text: 'Already in Refunds', added: false });
    expect(
      describeDatasetOutcome(
        { added: [], skipped: [{ conversationId: 'c1', reason: 'no_human_turn' }] },
        single,
      ).text,
    ).toBe('Not added to Refunds: this conversation has no human turn');
    expect(
      describeDatasetOutcome({ added: [], skipped: [{ conversationId: 'c1', reason: 'not_found' }] }, single)
        .text,
    ).toBe('Not added to Refunds: the conversation is gone');
  });

  it('a filter: counts what was added and each reason something was not', () => {
    const many = { datasetName: 'Refunds', single: false };
    expect(
      describeDatasetOutcome(
        {
          added: [item('c1'), item('c2')],
          skipped: [
            { conversationId: 'c3', reason: 'already_in_dataset' },
            { conversationId: 'c4', reason: 'already_in_dataset' },
            { conversationId: 'c5', reason: 'no_human_turn' },
          ],
        },
        many,
      ),
    ).toEqual({
      text: 'Added 2 conversations to Refunds; 2 already in it, 1 without a human turn',
      added: true,
    });
    expect(describeDatasetOutcome({ added: [item('c1')], skipped: [] }, many).text).toBe(
      'Added 1 conversation to Refunds',
    );
    expect(
      describeDatasetOutcome(
        {
          added: [],
          skipped: [
            { conversationId: 'c1', reason: 'already_in_dataset' },
            { conversationId: 'c2', reason: 'not_found' },
          ],
        },
        many,
      ),
    ).toEqual({ text: 'Nothing added to Refunds: 1 already in it, 1 gone', added: false });
    expect(describeDatasetOutcome({ added: [], skipped: [] }, many)).toEqual({
      text: 'No conversation matches the filters; nothing added to Refunds',
      added: false,
    });
  });
});
