/**
 * Checks a protobuf ExportTraceServiceRequest against `OTLP_LIMITS` on its wire bytes, before it is
 * decoded: decoding builds an object for every span, attribute and value, so a request of a few MiB
 * holding 300,000 values or 20,000 spans would cost hundreds of MB first. One pass that allocates
 * next to nothing; the same limits and messages as the OTLP/JSON walk.
 */
import { at, type Path, tooDeep, tooLong, tooManySpans, tooManyValues } from './otlp-issues.ts';
import { OTLP_LIMITS } from './otlp-limits.ts';
import { fieldEnd, readFields, type Wire } from './proto-wire.ts';

type MessageType =
  | 'request'
  | 'resourceSpans'
  | 'resource'
  | 'scopeSpans'
  | 'span'
  | 'event'
  | 'keyValue'
  | 'anyValue'
  | 'arrayValue'
  | 'kvlist';

interface Child {
  /** Its OTLP/JSON name, for the path. */
  name: string;
  type: MessageType;
  /** Repeated: the most one message may hold, and what they are called. */
  list?: { max: number; what: string };
  /** Counted in `maxValuesPerRequest`. */
  value?: true;
}

const ATTRIBUTES: Child = {
  name: 'attributes',
  type: 'keyValue',
  list: { max: OTLP_LIMITS.maxAttributes, what: 'attributes' },
  value: true,
};
const UNLIMITED = { max: Number.POSITIVE_INFINITY, what: '' };

/** The message fields (by field number) that hold messages the collector decodes. */
const SCHEMA: Record<MessageType, Record<number, Child>> = {
  request: { 1: { name: 'resourceSpans', type: 'resourceSpans', list: UNLIMITED } },
  resourceSpans: {
    1: { name: 'resource', type: 'resource' },
    2: { name: 'scopeSpans', type: 'scopeSpans', list: UNLIMITED },
  },
  resource: { 1: ATTRIBUTES },
  scopeSpans: { 2: { name: 'spans', type: 'span', list: UNLIMITED } },
  span: {
    9: ATTRIBUTES,
    11: { name: 'events', type: 'event', list: { max: OTLP_LIMITS.maxEventsPerSpan, what: 'events' } },
  },
  event: { 3: ATTRIBUTES },
  keyValue: { 2: { name: 'value', type: 'anyValue' } },
  anyValue: { 5: { name: 'arrayValue', type: 'arrayValue' }, 6: { name: 'kvlistValue', type: 'kvlist' } },
  arrayValue: {
    1: {
      name: 'values',
      type: 'anyValue',
      list: { max: OTLP_LIMITS.maxValuesPerList, what: 'values' },
      value: true,
    },
  },
  kvlist: {
    1: {
      name: 'values',
      type: 'keyValue',
      list: { max: OTLP_LIMITS.maxValuesPerList, what: 'values' },
      value: true,
    },
  },
};

interface Scan {
  wire: Wire;
  spans: number;
  values: number;
}

/** Throws a 4xx naming the field when the encoded request is over a limit (or not protobuf at all). */
export function checkProtobufLimits(bytes: Uint8Array): void {
  const scan: Scan = { wire: { bytes, pos: 0 }, spans: 0, values: 0 };
  message(scan, { end: bytes.length, type: 'request', path: null, depth: 0 });
}

interface Frame {
  end: number;
  type: MessageType;
  path: Path | null;
  /** arrayValue / kvlistValue levels above. */
  depth: number;
}

function message(scan: Scan, frame: Frame): void {
  let counts: Map<number, number> | undefined;
  readFields(scan.wire, frame.end, (field, type) => {
    const child = SCHEMA[frame.type][field];
    if (type !== 2 || !child) return false;
    const end = fieldEnd(scan.wire, frame.end);
    counts ??= new Map();
    const index = counts.get(field) ?? 0;
    counts.set(field, index + 1);
    const path = childPath(scan, { frame, child, index });
    const depth = frame.type === 'anyValue' ? frame.depth + 1 : frame.depth;
    if (depth > OTLP_LIMITS.maxValueDepth) throw tooDeep(path);
    message(scan, { end, type: child.type, path, depth });
    return true;
  });
}

/** Counts one more child against the limits, and returns its path. */
function childPath(scan: Scan, options: { frame: Frame; child: Child; index: number }): Path {
  const { frame, child, index } = options;
  const listPath = at(frame.path, child.name);
  if (child.value && ++scan.values > OTLP_LIMITS.maxValuesPerRequest) throw tooManyValues();
  if (child.type === 'span' && ++scan.spans > OTLP_LIMITS.maxSpansPerRequest) throw tooManySpans();
  if (!child.list) return listPath;
  if (index >= child.list.max) throw tooLong(listPath, child.list.max, child.list.what);
  return at(listPath, index);
}
