/**
 * Checks an OTLP trace export — protobuf-decoded or OTLP/JSON — and flattens it into spans with
 * plain attribute values, hex ids and millisecond times. A field of the wrong type or over a limit
 * refuses the whole request with a 4xx naming it (413 for too many spans, else 400), as the protobuf
 * decoder does for bytes it cannot read; nothing in a request can make it throw anything else.
 */
import { type Attributes, field, isObj, listAt, readAttributes, type ValueBudget } from './any-value.ts';
import { at, invalid, type Path, tooManySpans } from './otlp-issues.ts';
import { OTLP_LIMITS } from './otlp-limits.ts';
import { readId, readKind, readNanosAsMs, readStatus, readString } from './span-fields.ts';

export type { AttributeValue } from './any-value.ts';

export interface SpanEvent {
  name: string;
  timeMs: number;
  attributes: Attributes;
}

export interface FlatSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: number;
  startMs: number;
  endMs: number;
  attributes: Attributes;
  resource: Attributes;
  events: SpanEvent[];
  status: { code: number; message: string };
}

/** The spans of one scope, with where they sit and their resource's attributes. */
interface SpanList {
  spans: unknown[];
  path: Path;
  resource: Attributes;
}

/** No limit on the envelope's lists themselves: the span count below bounds the work. */
const unbounded = (what: string) => ({ max: Number.POSITIVE_INFINITY, what });

/** Checks and flattens `resourceSpans[].scopeSpans[].spans[]` (also the older `instrumentationLibrarySpans`). */
export function flattenSpans(request: unknown): FlatSpan[] {
  if (!isObj(request)) throw invalid(null, 'must be an ExportTraceServiceRequest object');
  const budget: ValueBudget = { used: 0 };
  const lists = spanLists(request, budget);
  const total = lists.reduce((sum, list) => sum + list.spans.length, 0);
  if (total > OTLP_LIMITS.maxSpansPerRequest) throw tooManySpans();
  const spans: FlatSpan[] = [];
  for (const list of lists) {
    list.spans.forEach((span, index) => {
      spans.push(flatten(span, { path: at(list.path, index), resource: list.resource, budget }));
    });
  }
  return spans;
}

function spanLists(request: Record<string, unknown>, budget: ValueBudget): SpanList[] {
  const lists: SpanList[] = [];
  const resourcesPath = at(null, 'resourceSpans');
  const resources = listAt(
    field(request, 'resourceSpans', 'resource_spans'),
    resourcesPath,
    unbounded('ResourceSpans'),
  );
  resources.forEach((resourceSpans, index) => {
    const path = at(resourcesPath, index);
    if (!isObj(resourceSpans)) throw invalid(path, 'must be a ResourceSpans object');
    const resource = readResource(resourceSpans.resource, at(path, 'resource'), budget);
    for (const [camel, snake] of [
      ['scopeSpans', 'scope_spans'],
      ['instrumentationLibrarySpans', 'instrumentation_library_spans'],
    ] as const) {
      const scopesPath = at(path, camel);
      const scopes = listAt(field(resourceSpans, camel, snake), scopesPath, unbounded('ScopeSpans'));
      scopes.forEach((scope, scopeIndex) => {
        const scopePath = at(scopesPath, scopeIndex);
        if (!isObj(scope)) throw invalid(scopePath, 'must be a ScopeSpans object');
        const spansPath = at(scopePath, 'spans');
        lists.push({ spans: listAt(scope.spans, spansPath, unbounded('Spans')), path: spansPath, resource });
      });
    }
  });
  return lists;
}

function readResource(value: unknown, path: Path, budget: ValueBudget): Attributes {
  if (value === undefined || value === null) return {};
  if (!isObj(value)) throw invalid(path, 'must be a Resource object');
  return readAttributes(value.attributes, at(path, 'attributes'), budget);
}

interface SpanPlace {
  path: Path;
  resource: Attributes;
  budget: ValueBudget;
}

function flatten(span: unknown, place: SpanPlace): FlatSpan {
  const { path, resource, budget } = place;
  if (!isObj(span)) throw invalid(path, 'must be a Span object');
  const parent = readId(field(span, 'parentSpanId', 'parent_span_id'), at(path, 'parentSpanId'), {
    size: 8,
    required: false,
  });
  return {
    traceId: readId(field(span, 'traceId', 'trace_id'), at(path, 'traceId'), { size: 16, required: true }),
    spanId: readId(field(span, 'spanId', 'span_id'), at(path, 'spanId'), { size: 8, required: true }),
    parentSpanId: parent === '' ? null : parent,
    name: readString(span, 'name', path),
    kind: readKind(span.kind, at(path, 'kind')),
    startMs: readNanosAsMs(
      field(span, 'startTimeUnixNano', 'start_time_unix_nano'),
      at(path, 'startTimeUnixNano'),
    ),
    endMs: readNanosAsMs(field(span, 'endTimeUnixNano', 'end_time_unix_nano'), at(path, 'endTimeUnixNano')),
    attributes: readAttributes(span.attributes, at(path, 'attributes'), budget),
    resource,
    events: readEvents(span.events, at(path, 'events'), budget),
    status: readStatus(span.status, at(path, 'status')),
  };
}

function readEvents(value: unknown, path: Path, budget: ValueBudget): SpanEvent[] {
  return listAt(value, path, { max: OTLP_LIMITS.maxEventsPerSpan, what: 'events' }).map((event, index) => {
    const eventPath = at(path, index);
    if (!isObj(event)) throw invalid(eventPath, 'must be an Event object');
    return {
      name: readString(event, 'name', eventPath),
      timeMs: readNanosAsMs(field(event, 'timeUnixNano', 'time_unix_nano'), at(eventPath, 'timeUnixNano')),
      attributes: readAttributes(event.attributes, at(eventPath, 'attributes'), budget),
    };
  });
}
