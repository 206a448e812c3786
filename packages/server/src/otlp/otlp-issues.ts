/**
 * Where a field of an OTLP request sits (`resourceSpans.0.scopeSpans.0.spans.3.startTimeUnixNano`)
 * and the 4xx errors that name it. A path is a linked list from the field up to the root, so walking
 * a large request allocates one small node per level and joins the text only on error.
 */
import { ServerError } from '../errors.ts';
import { OTLP_LIMITS } from './otlp-limits.ts';

export interface Path {
  readonly up: Path | null;
  readonly key: string | number;
}

/** The path one step below `up`. */
export const at = (up: Path | null, key: string | number): Path => ({ up, key });

/** The dotted text of a path (`body` for the root). */
export function pathText(path: Path | null): string {
  const keys: Array<string | number> = [];
  for (let node = path; node; node = node.up) keys.push(node.key);
  return keys.length ? keys.reverse().join('.') : 'body';
}

/** A 400 naming the field and what is wrong with it. */
export function invalid(path: Path | null, message: string): ServerError {
  const where = pathText(path);
  return new ServerError('invalid_request', `${where}: ${message}`, { issues: [{ path: where, message }] });
}

/** A 413 naming the field and the limit it is over. */
export function tooLarge(path: Path | null, message: string): ServerError {
  const where = pathText(path);
  return new ServerError('payload_too_large', `${where}: ${message}`, { issues: [{ path: where, message }] });
}

/** A 413: the request holds more spans than `OTLP_LIMITS.maxSpansPerRequest`. */
export const tooManySpans = (): ServerError =>
  tooLarge(
    at(null, 'resourceSpans'),
    `must hold at most ${OTLP_LIMITS.maxSpansPerRequest} spans per request, all resourceSpans and scopeSpans together; export smaller batches`,
  );

/** A 413: the request holds more attributes and list values than `OTLP_LIMITS.maxValuesPerRequest`. */
export const tooManyValues = (): ServerError =>
  tooLarge(
    at(null, 'resourceSpans'),
    `must hold at most ${OTLP_LIMITS.maxValuesPerRequest} attributes and list values per request, all spans together; export smaller batches`,
  );

/** A 400: a list holds more than its limit. */
export const tooLong = (path: Path, max: number, what: string): ServerError =>
  invalid(path, `must hold at most ${max} ${what}`);

/** A 400: an attribute value nests lists deeper than `OTLP_LIMITS.maxValueDepth`. */
export const tooDeep = (path: Path): ServerError =>
  invalid(path, `nests arrayValue/kvlistValue deeper than the limit of ${OTLP_LIMITS.maxValueDepth} levels`);
