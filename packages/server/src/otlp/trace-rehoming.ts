/**
 * Spans of a trace exported before the span naming its conversation (`gen_ai.conversation.id`,
 * `session.id`) are stored under `trace-<trace id>`. When the name arrives, that conversation is merged
 * into the named one (`store.mergeConversation`, which leaves `trace-<id>` behind as an alias), and
 * spans exported later still without a name are stored under the alias's conversation.
 *
 * Before an export's events are written: for each trace it names whose name this process does not
 * remember, one query (for the whole export) asks whether `trace-<id>` exists, and each that does is
 * merged; for each trace it does not name and this process does not remember, one query asks whether
 * `trace-<id>` is an alias. So a trace split over collector nodes, or over a restart, is joined up.
 * After they are written: a trace whose spans went under `trace-<id>` while another request of this
 * process named its conversation is merged then.
 */
import { idString } from '@sightline/core';
import type { Store } from '@sightline/store';
import type { FlatSpan } from './otlp-spans.ts';
import { fallbackConversationId, namedConversations } from './trace-context.ts';
import type { TraceMemory } from './trace-conversations.ts';

/** What re-homing needs of the store. */
export type RehomingStore = Pick<
  Store,
  'existingConversations' | 'mergeConversation' | 'resolveConversationAliases'
>;

export interface TraceRehomingOptions {
  store: RehomingStore;
  projectId: string;
  spans: FlatSpan[];
  /** The conversations earlier exports of this project named for their traces. */
  traces: TraceMemory;
}

/**
 * Before an export's events are written (see the file comment): merges `trace-<id>` conversations into
 * the conversations now named, and remembers aliases; returns the traces stored under `trace-<id>`.
 */
export async function rehomeBeforeWrite(options: TraceRehomingOptions): Promise<string[]> {
  const { store, projectId, traces } = options;
  const named: Array<[traceId: string, conversationId: string]> = [];
  const unnamed: string[] = [];
  for (const [traceId, conversationId] of namedConversations(options.spans)) {
    if (conversationId === undefined) {
      if (traces.get(traceId) === undefined) unnamed.push(traceId);
    } else if (traces.get(traceId) !== conversationId && mergeable(traceId, conversationId)) {
      named.push([traceId, conversationId]);
    }
  }
  const [existing, aliases] = await Promise.all([
    named.length > 0
      ? store.existingConversations(
          projectId,
          named.map(([traceId]) => fallbackConversationId(traceId)),
        )
      : new Set<string>(),
    unnamed.length > 0
      ? store.resolveConversationAliases(projectId, unnamed.map(fallbackConversationId))
      : new Map<string, string>(),
  ]);
  for (const [traceId, into] of named) {
    const from = fallbackConversationId(traceId);
    if (existing.has(from)) await store.mergeConversation(projectId, { from, into });
  }
  const fallbacks: string[] = [];
  for (const traceId of unnamed) {
    const alias = aliases.get(fallbackConversationId(traceId));
    if (alias === undefined) fallbacks.push(traceId);
    else traces.set(traceId, alias);
  }
  return fallbacks;
}

/** Whether a trace's `trace-<id>` conversation may merge into `into` (a valid id, not itself). */
function mergeable(traceId: string, into: string): boolean {
  return into !== fallbackConversationId(traceId) && idString.safeParse(into).success;
}

/**
 * After the events are written: each of `fallbacks` (traces stored under `trace-<id>`) whose
 * conversation another request named meanwhile is merged into it.
 */
export async function rehomeAfterWrite(options: TraceRehomingOptions, fallbacks: string[]): Promise<void> {
  for (const traceId of fallbacks) {
    const into = options.traces.get(traceId);
    if (into !== undefined && mergeable(traceId, into))
      await options.store.mergeConversation(options.projectId, {
        from: fallbackConversationId(traceId),
        into,
      });
  }
}
