/**
 * Stores the spans of one OTLP export: maps them to events, validates each event as `/v1/ingest`
 * does, and hands the valid ones to the write queue a chunk of whole traces at a time (about a
 * `/v1/ingest` batch each), so a 10,000-span export never holds all its events at once. The answer
 * waits until every chunk is committed; if one fails, the exporter's retry re-sends chunks already
 * stored, which are then duplicates (event ids derive from trace and span ids).
 */
import { type FieldIssue, LIMITS, type ParsedEvent, parseIngestEvent } from '@sightline/core';
import type { FlatSpan } from './otlp-spans.ts';
import { type MappedEvent, mapSpans } from './span-mapping.ts';
import type { TraceMemory } from './trace-conversations.ts';

export interface SpanIngestOptions {
  spans: FlatSpan[];
  /** The conversations earlier exports of this project named for their traces. */
  traces: TraceMemory;
  /** Stores one chunk of validated events; resolves once they are committed, with those refused (redaction). */
  write: (events: ParsedEvent[]) => Promise<{ rejected: Map<string, FieldIssue[]> }>;
}

/** The OTLP partial success: spans that could not be stored, and what was wrong or ignored. */
export interface PartialSuccess {
  rejectedSpans: number;
  errorMessage: string;
}

/** Most problems and warnings quoted in a partial success message. */
const QUOTED = 5;

interface Checked {
  rejectedSpans: number;
  problems: string[];
}

/** Stores an export's spans; the partial success to answer, or null when all went in as sent. */
export async function ingestSpans(options: SpanIngestOptions): Promise<PartialSuccess | null> {
  const { warnings, chunks } = mapSpans({ ...options, chunkSpans: LIMITS.maxBatchEvents });
  const checked: Checked = { rejectedSpans: 0, problems: [] };
  const seen = new Set<string>();
  for (const chunk of chunks) {
    const fromSpan = new Set<string>();
    const accepted = check(chunk, { checked, seen, fromSpan });
    if (accepted.length === 0) continue;
    const { rejected } = await options.write(accepted);
    for (const [id, issues] of rejected) {
      // Refused by a redaction rule: the span was not stored.
      if (fromSpan.has(id)) checked.rejectedSpans += 1;
      if (checked.problems.length < QUOTED) checked.problems.push(issues.map((i) => i.message).join('; '));
    }
  }
  const messages = [...checked.problems.slice(0, QUOTED), ...warnings.slice(0, QUOTED)];
  return checked.rejectedSpans > 0 || messages.length > 0
    ? { rejectedSpans: checked.rejectedSpans, errorMessage: messages.join(' | ') }
    : null;
}

/** The valid events of a chunk (each id once per export); counts and describes the others. */
function check(
  chunk: MappedEvent[],
  state: { checked: Checked; seen: Set<string>; fromSpan: Set<string> },
): ParsedEvent[] {
  const { checked, seen } = state;
  const accepted: ParsedEvent[] = [];
  chunk.forEach(({ event, fromSpan }, index) => {
    const parsed = parseIngestEvent(event, index);
    if ('issues' in parsed) {
      if (fromSpan) checked.rejectedSpans += 1;
      if (checked.problems.length < QUOTED) {
        const where = (path: string) => path.replace(/^events\.\d+\./, '');
        checked.problems.push(
          parsed.issues.map((issue) => `${where(issue.path)}: ${issue.message}`).join('; '),
        );
      }
    } else if (!seen.has(parsed.id)) {
      seen.add(parsed.id);
      if (fromSpan) state.fromSpan.add(parsed.id);
      accepted.push(parsed);
    }
  });
  return accepted;
}
