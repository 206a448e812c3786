import { LIMITS } from '@sightline/core';
import type { ConversationMerge, MergeOutcome } from '@sightline/store';
import { describe, expect, it } from 'vitest';
import { flattenSpans } from './otlp-spans.ts';
import { attr, jsonExport, jsonSpan } from './test-payloads.ts';
import { TraceConversations } from './trace-conversations.ts';
import { type RehomingStore, rehomeAfterWrite, rehomeBeforeWrite } from './trace-rehoming.ts';

const trace = (c: string) => c.repeat(32);

/** A store double that records what re-homing asks of it. */
function fakeStore(state: { existing: string[]; aliases: Record<string, string> }) {
  const calls: Array<[string, unknown]> = [];
  const store: RehomingStore = {
    existingConversations: async (_project, ids) => {
      calls.push(['existingConversations', [...ids]]);
      return new Set(ids.filter((id) => state.existing.includes(id)));
    },
    resolveConversationAliases: async (_project, ids) => {
      calls.push(['resolveConversationAliases', [...ids]]);
      return new Map(ids.flatMap((id) => (state.aliases[id] ? [[id, state.aliases[id]] as const] : [])));
    },
    mergeConversation: async (_project, merge: ConversationMerge): Promise<MergeOutcome> => {
      calls.push(['mergeConversation', merge]);
      return { merged: true, moved: { messages: 0, steps: 0, feedback: 0, scores: 0 } };
    },
  };
  return { store, calls };
}

/** One span per trace: `named` maps a trace to the conversation its span names (none: unnamed). */
function spansOf(named: Record<string, string | null>) {
  return flattenSpans(
    jsonExport(
      Object.entries(named).map(([traceId, conversationId], n) =>
        jsonSpan(n + 1, {
          traceId,
          attributes: conversationId ? [attr('gen_ai.conversation.id', conversationId)] : [],
        }),
      ),
    ),
  );
}

describe('re-homing the early spans of a trace', () => {
  it('asks the store once per kind of trace per export, and nothing for traces it remembers', async () => {
    const { store, calls } = fakeStore({
      existing: [`trace-${trace('a')}`],
      aliases: { [`trace-${trace('c')}`]: 'conv-c' },
    });
    const traces = new TraceConversations().forProject('p');
    traces.set(trace('e'), 'conv-e');
    const spans = spansOf({
      [trace('a')]: 'conv-a', // named, early spans stored: merged
      [trace('b')]: 'conv-b', // named, nothing stored under trace-<id>
      [trace('c')]: null, // unnamed, trace-<id> merged elsewhere: resolved
      [trace('d')]: null, // unnamed, unknown: stays trace-<id>
      [trace('e')]: null, // unnamed, remembered
      [trace('f')]: 'x'.repeat(LIMITS.maxIdLength + 1), // named with an id no conversation may have: left alone
      [trace('9')]: `trace-${trace('9')}`, // named after its own fallback: nothing to merge
    });
    const options = { store, projectId: 'p', spans, traces };
    expect(await rehomeBeforeWrite(options)).toEqual([trace('d')]);
    expect(calls).toEqual([
      ['existingConversations', [`trace-${trace('a')}`, `trace-${trace('b')}`]],
      ['resolveConversationAliases', [`trace-${trace('c')}`, `trace-${trace('d')}`]],
      ['mergeConversation', { from: `trace-${trace('a')}`, into: 'conv-a' }],
    ]);
    expect(traces.get(trace('c'))).toBe('conv-c');

    // Named traces this process remembers (as the mapping remembers them) cost nothing.
    calls.length = 0;
    traces.set(trace('a'), 'conv-a');
    traces.set(trace('b'), 'conv-b');
    const remembered = spansOf({ [trace('a')]: 'conv-a', [trace('b')]: 'conv-b', [trace('c')]: null });
    expect(await rehomeBeforeWrite({ ...options, spans: remembered })).toEqual([]);
    expect(calls).toEqual([]);
  });

  it('merges a trace stored under trace-<id> once another request names its conversation', async () => {
    const { store, calls } = fakeStore({ existing: [], aliases: {} });
    const traces = new TraceConversations().forProject('p');
    const options = { store, projectId: 'p', spans: spansOf({ [trace('a')]: null }), traces };
    const fallbacks = await rehomeBeforeWrite(options);
    await rehomeAfterWrite(options, fallbacks);
    expect(calls.map(([method]) => method)).toEqual(['resolveConversationAliases']);
    traces.set(trace('a'), 'named-meanwhile');
    await rehomeAfterWrite(options, fallbacks);
    expect(calls.at(-1)).toEqual([
      'mergeConversation',
      { from: `trace-${trace('a')}`, into: 'named-meanwhile' },
    ]);
  });
});
