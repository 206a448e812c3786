/**
 * How much one OTLP trace export may hold. Real exporters stay far below: the OpenTelemetry SDKs'
 * batch processors send at most 512 spans per export, and their span limits default to 128
 * attributes and 128 events per span. Past a limit the request is refused whole, naming the field
 * and the limit: 413 for too many spans, 400 for anything else.
 */
export const OTLP_LIMITS = {
  /** Most spans in one request, over all its resourceSpans and scopeSpans (413 past it). */
  maxSpansPerRequest: 10_000,
  /** Most attributes on one resource, span or span event. */
  maxAttributes: 1_000,
  /** Most events on one span. */
  maxEventsPerSpan: 1_000,
  /** Most values in one `arrayValue` or `kvlistValue`. */
  maxValuesPerList: 10_000,
  /**
   * Most attributes and list values in one request, all spans, events and resources together (413
   * past it): each becomes an object while the request is read, and the per-field limits alone would
   * allow millions of tiny ones in 5 MiB of protobuf.
   */
  maxValuesPerRequest: 200_000,
  /** Deepest nesting of `arrayValue` / `kvlistValue` inside one attribute value. */
  maxValueDepth: 32,
  /** Most traces whose conversation the collector remembers (per process, least recently used out). */
  rememberedTraces: 10_000,
} as const;
