import {
  DEFAULT_ENVIRONMENT,
  FEEDBACK_SOURCES,
  LIMITS,
  MESSAGE_ROLES,
  SCORE_DATA_TYPES,
  SCORE_SOURCES,
  SENTIMENTS,
} from '@sightline/core';
import { toLimitedJson, truncateText } from './json-limits.ts';

/**
 * Client-side enforcement of core's LIMITS: every field of an event is cut, cleaned or dropped so
 * the server accepts it, instead of sending something it would reject. Each function takes any
 * value (users may bypass the types) and never throws.
 */

type Body = Record<string, unknown>;

/** What limiting did to one event. */
export interface LimitReport {
  /** Something was cut or replaced to fit the limits. */
  truncated: boolean;
  /** Characters of the step's input + output after limiting (0 for other events). */
  payload: number;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ids must not carry control characters
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: ids must not carry control characters
const HAS_CONTROL = /[\u0000-\u001f\u007f]/;
const STEP_TYPE = /^[a-z][a-z0-9_.-]*$/;
const ENVIRONMENT = /^[A-Za-z0-9_.-]+$/;
const MAX_TAG_LENGTH = 64;
const MAX_COMMENT_LENGTH = 10_000;
const MAX_TOOLS_USED = 100;

/**
 * Limits the body of an event of the given type, in a fresh object. The conversation fields are
 * read from `context` and the others from `body` (the same object for a wire-shaped event).
 */
export function limitBody(type: string, context: object, body: object, report: LimitReport): Body {
  const ctx = context as Body;
  const out: Body = { conversationId: cleanId(ctx.conversationId, report) ?? 'unknown' };
  setIf(out, 'customerId', cleanId(ctx.customerId, report));
  setIf(out, 'source', cleanLabel(ctx.source, report));
  out.environment = cleanEnvironment(ctx.environment);
  setIf(out, 'agentVersion', cleanId(ctx.agentVersion, report));
  switch (type) {
    case 'message':
      limitMessage(body as Body, out, report);
      break;
    case 'step':
      limitStep(body as Body, out, report);
      break;
    case 'conversation':
      limitConversation(body as Body, out, report);
      break;
    case 'feedback':
      limitFeedback(body as Body, out, report);
      break;
    case 'score':
      limitScore(body as Body, out, report);
      break;
  }
  return out;
}

function limitMessage(body: Body, out: Body, report: LimitReport): void {
  setIf(out, 'messageId', cleanId(body.messageId, report));
  out.role = (MESSAGE_ROLES as readonly unknown[]).includes(body.role) ? body.role : 'system';
  out.content = cleanText(body.content, LIMITS.maxContentLength, report);
  setIf(out, 'metadata', limitMetadata(body.metadata, report));
  setIf(out, 'attachments', limitAttachments(body.attachments, report));
}

function limitStep(body: Body, out: Body, report: LimitReport): void {
  out.stepId = cleanId(body.stepId, report) ?? 'unknown';
  setIf(out, 'parentId', cleanId(body.parentId, report));
  out.type = cleanStepType(body.type);
  out.name = cleanLabel(body.name, report) || 'unnamed';
  setIf(out, 'startedAt', cleanTimestamp(body.startedAt));
  setIf(out, 'endedAt', cleanTimestamp(body.endedAt));
  setIf(out, 'durationMs', cleanNonNegative(body.durationMs));
  let payload = 0;
  for (const key of ['input', 'output'] as const) {
    if (body[key] === undefined) continue;
    const limited = toLimitedJson(body[key], { maxSize: LIMITS.maxPayloadSize });
    if (limited.truncated) report.truncated = true;
    out[key] = limited.value;
    payload += limited.size;
  }
  report.payload = payload;
  setIf(out, 'error', limitError(body.error, report));
  setIf(out, 'toolsUsed', limitToolsUsed(body.toolsUsed, report));
  setIf(out, 'usage', limitUsage(body.usage, report));
  setIf(out, 'metadata', limitMetadata(body.metadata, report));
}

function limitConversation(body: Body, out: Body, report: LimitReport): void {
  for (const key of ['name', 'device', 'language'] as const) setIf(out, key, cleanLabel(body[key], report));
  setIf(out, 'metadata', limitMetadata(body.metadata, report));
  if (Array.isArray(body.tags)) {
    const tags = body.tags
      .filter((tag): tag is string => typeof tag === 'string' && tag.length > 0)
      .map((tag) => tag.slice(0, MAX_TAG_LENGTH));
    if (tags.length > LIMITS.maxTags || tags.length !== body.tags.length) report.truncated = true;
    out.tags = tags.slice(0, LIMITS.maxTags);
  }
  setIf(out, 'startedAt', cleanTimestamp(body.startedAt));
  setIf(out, 'endedAt', cleanTimestamp(body.endedAt));
}

function limitFeedback(body: Body, out: Body, report: LimitReport): void {
  setIf(out, 'feedbackId', cleanId(body.feedbackId, report));
  setIf(out, 'messageId', cleanId(body.messageId, report));
  if ((SENTIMENTS as readonly unknown[]).includes(body.sentiment)) out.sentiment = body.sentiment;
  const score = body.score as { name?: unknown; value?: unknown } | undefined;
  if (score && typeof score === 'object' && typeof score.value === 'number' && Number.isFinite(score.value)) {
    out.score = { name: cleanLabel(score.name, report) || 'score', value: score.value };
  }
  if (body.comment !== undefined) out.comment = cleanText(body.comment, MAX_COMMENT_LENGTH, report);
  out.source = (FEEDBACK_SOURCES as readonly unknown[]).includes(body.source) ? body.source : 'customer';
  setIf(out, 'metadata', limitMetadata(body.metadata, report));
}

/**
 * A score as tracked (checked against core's rules then) or as `beforeSend` returned it. Its `source` is
 * the score's (human, code, model), not the conversation's, which a score event cannot carry.
 */
function limitScore(body: Body, out: Body, report: LimitReport): void {
  for (const key of ['scoreId', 'messageId', 'stepId', 'judgeRunId'] as const)
    setIf(out, key, cleanId(body[key], report));
  out.name = cleanLabel(body.name, report) || 'score';
  out.value = body.value;
  if ((SCORE_DATA_TYPES as readonly unknown[]).includes(body.dataType)) out.dataType = body.dataType;
  if ((SCORE_SOURCES as readonly unknown[]).includes(body.source)) out.source = body.source;
  else delete out.source;
  if (body.comment !== undefined) out.comment = cleanText(body.comment, LIMITS.maxCommentLength, report);
  setIf(out, 'metadata', limitMetadata(body.metadata, report));
}

/** An id: control characters removed, at most 256 characters; undefined when empty or absent. */
export function cleanId(value: unknown, report?: LimitReport): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = String(value);
  if (text.length > 0 && text.length <= LIMITS.maxIdLength && !HAS_CONTROL.test(text)) return text;
  let clean = text.replace(CONTROL_CHARACTERS, '');
  if (clean.length > LIMITS.maxIdLength) clean = clean.slice(0, LIMITS.maxIdLength);
  if (report && clean !== text) report.truncated = true;
  return clean.length > 0 ? clean : undefined;
}

/** A label (name, source, model...): at most 512 characters; undefined when absent. */
export function cleanLabel(value: unknown, report?: LimitReport): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = String(value);
  if (text.length <= LIMITS.maxNameLength) return text;
  if (report) report.truncated = true;
  return text.slice(0, LIMITS.maxNameLength);
}

/** An environment name the server accepts: letters, digits, `_ . -`, at most 64 characters. */
export function cleanEnvironment(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) return DEFAULT_ENVIRONMENT;
  if (value.length <= 64 && ENVIRONMENT.test(value)) return value;
  const clean = value.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 64);
  return clean.length > 0 ? clean : DEFAULT_ENVIRONMENT;
}

/** A step type the server accepts: lowercase, starting with a letter, at most 64 characters. */
export function cleanStepType(value: unknown): string {
  const text = typeof value === 'string' ? value : 'action';
  if (text.length <= 64 && STEP_TYPE.test(text)) return text;
  let clean = text.toLowerCase().replace(/[^a-z0-9_.-]/g, '_');
  if (!/^[a-z]/.test(clean)) clean = `s${clean}`;
  return clean.slice(0, 64);
}

function cleanText(value: unknown, max: number, report: LimitReport): string {
  const text = typeof value === 'string' ? value : String(toLimitedJson(value, { maxSize: max }).value ?? '');
  if (text.length <= max) return text;
  report.truncated = true;
  return truncateText(text, max);
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** An ISO timestamp from epoch ms (the hot path's form), a Date, or a date string. */
export function cleanTimestamp(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? isoFromMillis(value) : undefined;
  if (typeof value === 'string' && ISO_UTC.test(value)) return value;
  const ms = value instanceof Date ? value.getTime() : Date.parse(String(value));
  return Number.isFinite(ms) ? isoFromMillis(ms) : undefined;
}

const DAY_MS = 86_400_000;
const PAD2 = Array.from({ length: 60 }, (_, value) => value.toString().padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, value) => value.toString().padStart(3, '0'));
let dayStart = Number.NaN;
let dayPrefix = '';

/**
 * Epoch ms to ISO 8601 UTC (`2026-01-31T12:00:00.000Z`), as `Date#toISOString` writes it, at a
 * fraction of its cost: the date part is computed once per day, the time part from lookup tables.
 */
export function isoFromMillis(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0 || ms >= 253_402_300_800_000) return new Date(ms).toISOString();
  if (!(ms >= dayStart && ms < dayStart + DAY_MS)) {
    dayStart = ms - (ms % DAY_MS);
    dayPrefix = new Date(dayStart).toISOString().slice(0, 11);
  }
  let rest = ms - dayStart;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  return `${dayPrefix}${PAD2[hours]}:${PAD2[minutes]}:${PAD2[seconds]}.${PAD3[millis]}Z`;
}

function cleanNonNegative(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function cleanCount(value: unknown): number | undefined {
  const number = cleanNonNegative(value);
  return number === undefined ? undefined : Math.round(number);
}

/** A count or cost above the collector's limit, cut to it (counted as truncated) rather than refused there. */
function capped(value: number | undefined, max: number, report: LimitReport): number | undefined {
  if (value === undefined || value <= max) return value;
  report.truncated = true;
  return max;
}

/** Metadata as the server wants it: a JSON object within 16 KB and 10 levels. */
export function limitMetadata(value: unknown, report: LimitReport): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  const record = typeof value === 'object' && !Array.isArray(value) ? value : { value };
  const limited = toLimitedJson(record, { maxSize: LIMITS.maxMetadataSize });
  if (limited.truncated) report.truncated = true;
  const result = limited.value;
  return result && typeof result === 'object' && !Array.isArray(result)
    ? (result as Record<string, unknown>)
    : { value: result };
}

/** A step error `{ message, type?, stack? }` from any thrown value. */
export function limitError(value: unknown, report: LimitReport): Body | undefined {
  if (value === undefined) return undefined;
  const out: Body = {};
  if (value instanceof Error) {
    out.message = cleanText(value.message || value.name, LIMITS.maxErrorLength, report);
    setIf(out, 'type', cleanLabel(value.name, report));
    if (typeof value.stack === 'string') out.stack = cleanText(value.stack, LIMITS.maxErrorLength, report);
    return out;
  }
  if (value && typeof value === 'object' && typeof (value as Body).message === 'string') {
    const record = value as Body;
    out.message = cleanText(record.message, LIMITS.maxErrorLength, report);
    setIf(out, 'type', cleanLabel(record.type ?? record.name, report));
    if (typeof record.stack === 'string') out.stack = cleanText(record.stack, LIMITS.maxErrorLength, report);
    return out;
  }
  out.message = cleanText(typeof value === 'string' ? value : value, LIMITS.maxErrorLength, report);
  return out;
}

function limitToolsUsed(value: unknown, report: LimitReport): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  let names: unknown[];
  if (Array.isArray(value)) names = value;
  else if (typeof value === 'object') names = Object.values(value);
  else names = [value];
  const clean = names
    .filter((name) => typeof name === 'string' || typeof name === 'number')
    .map((name) => cleanLabel(name, report) as string)
    .filter((name) => name.length > 0);
  if (clean.length > MAX_TOOLS_USED) report.truncated = true;
  return clean.slice(0, MAX_TOOLS_USED);
}

function limitUsage(value: unknown, report: LimitReport): Body | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const usage = value as Body;
  const out: Body = { model: cleanLabel(usage.model, report) || 'unknown' };
  setIf(out, 'provider', cleanLabel(usage.provider, report));
  for (const key of ['inputTokens', 'outputTokens', 'totalTokens'] as const)
    setIf(out, key, capped(cleanCount(usage[key]), LIMITS.maxTokens, report));
  setIf(out, 'costUsd', capped(cleanNonNegative(usage.costUsd), LIMITS.maxCostUsd, report));
  setIf(out, 'timeToFirstTokenMs', cleanNonNegative(usage.timeToFirstTokenMs));
  return out;
}

function limitAttachments(value: unknown, report: LimitReport): Body[] | undefined {
  if (!Array.isArray(value)) return undefined;
  if (value.length > LIMITS.maxAttachments) report.truncated = true;
  return value.slice(0, LIMITS.maxAttachments).map((item) => {
    const attachment = (item && typeof item === 'object' ? item : { name: String(item) }) as Body;
    const out: Body = { name: cleanLabel(attachment.name, report) ?? 'attachment' };
    setIf(out, 'mimeType', cleanLabel(attachment.mimeType, report));
    if (typeof attachment.url === 'string') out.url = attachment.url.slice(0, 4096);
    setIf(out, 'sizeBytes', cleanCount(attachment.sizeBytes));
    return out;
  });
}

function setIf(target: Body, key: string, value: unknown): void {
  if (value !== undefined) target[key] = value;
}
