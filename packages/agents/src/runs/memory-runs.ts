/**
 * `memoryRuns()`: run records, events and node heartbeats in this process's memory: the default of
 * `@sightline/serve` (one process, nothing survives a restart) and the reference for the other stores.
 */
import {
  lastOfEachRun,
  listLimit,
  type RunEvent,
  type RunStore,
  type ServedRunRecord,
  type StoredRun,
} from './run-store.ts';

export interface MemoryRunsOptions {
  /** Most runs kept (with their events); the oldest are forgotten beyond it (default 10,000). */
  maxRuns?: number;
}

interface Entry {
  record: ServedRunRecord;
  updatedAt: string;
}

/** Run records in memory: for one process; everything is lost on restart. */
export function memoryRuns(options: MemoryRunsOptions = {}): RunStore {
  const maxRuns = options.maxRuns ?? 10_000;
  const runs = new Map<string, Entry>();
  const eventsOf = new Map<string, Map<number, string>>();
  const nodes = new Map<string, number>();
  const stored = (entry: Entry): StoredRun => {
    const seen = entry.record.nodeId === null ? undefined : nodes.get(entry.record.nodeId);
    return {
      ...structuredClone(entry.record),
      updatedAt: entry.updatedAt,
      nodeSilentMs: seen === undefined ? null : Date.now() - seen,
    };
  };
  return {
    async saveRuns(records) {
      for (const record of lastOfEachRun(records)) {
        runs.delete(record.runId);
        runs.set(record.runId, { record: structuredClone(record), updatedAt: new Date().toISOString() });
      }
      while (runs.size > maxRuns) {
        const oldest = runs.keys().next().value;
        if (oldest === undefined) break;
        runs.delete(oldest);
        eventsOf.delete(oldest);
      }
    },
    async getRun(runId) {
      const entry = runs.get(runId);
      return entry ? stored(entry) : undefined;
    },
    async listRuns(query) {
      const found: StoredRun[] = [];
      for (const entry of [...runs.values()].reverse()) {
        const { record } = entry;
        if (record.kind !== query.kind || record.userId !== query.userId) continue;
        if (query.conversationId !== undefined && record.conversationId !== query.conversationId) continue;
        found.push(stored(entry));
      }
      found.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      return found.slice(0, listLimit(query.limit));
    },
    async appendEvents(events) {
      for (const event of events) {
        let known = eventsOf.get(event.runId);
        if (!known) {
          known = new Map();
          eventsOf.set(event.runId, known);
        }
        if (!known.has(event.eventId)) known.set(event.eventId, event.data);
      }
    },
    async readEvents(runId, afterId, limit = 10_000) {
      const events: RunEvent[] = [];
      for (const [eventId, data] of eventsOf.get(runId) ?? []) {
        if (eventId > afterId) events.push({ runId, eventId, data });
      }
      return events.sort((a, b) => a.eventId - b.eventId).slice(0, limit);
    },
    async heartbeat(nodeId) {
      nodes.set(nodeId, Date.now());
    },
    async leave(nodeId) {
      nodes.delete(nodeId);
    },
    async interruptRuns(deadAfterMs) {
      const interrupted: StoredRun[] = [];
      const now = Date.now();
      for (const entry of runs.values()) {
        const { record } = entry;
        if (record.status !== 'running') continue;
        const seen = record.nodeId === null ? undefined : nodes.get(record.nodeId);
        if (seen !== undefined && now - seen < deadAfterMs) continue;
        record.status = 'interrupted';
        entry.updatedAt = new Date().toISOString();
        interrupted.push(stored(entry));
      }
      return interrupted;
    },
  };
}
