/**
 * Which fields of an event are redacted: every field that can hold what people wrote or what tools
 * returned. Message content, metadata and attachment names and URLs; step name, input, output, error
 * and metadata; conversation name, metadata and tags; feedback and score comment and metadata. JSON
 * values are walked whole (strings, and object keys). Ids and labels that group data (conversation,
 * customer, message, step, feedback and score ids, source, environment, step type, model, tool names in
 * `toolsUsed`, score names and categories, agent versions) are left as sent: redacting them would merge
 * or split what they identify.
 */
import type { ParsedEvent } from '@sightline/core';
import type { RedactionRules } from './redaction-rules.ts';
import type { RedactionRun } from './redaction-run.ts';

type Redact = (text: string) => string;

/** The event with its text fields redacted: the same object when nothing changed, else a copy. */
export function redactEvent(event: ParsedEvent, rules: RedactionRules, run: RedactionRun): ParsedEvent {
  const redact: Redact = (text) => rules.redact(text, run);
  const body = redactBody(event, redact);
  return body === event.body ? event : ({ ...event, body } as ParsedEvent);
}

function redactBody(event: ParsedEvent, redact: Redact): ParsedEvent['body'] {
  switch (event.type) {
    case 'message': {
      const b = event.body;
      return patch(b, {
        content: redact(b.content),
        metadata: redactJson(b.metadata, redact),
        attachments: b.attachments
          ? sameArray(
              b.attachments,
              b.attachments.map((a) =>
                patch(a, { name: redact(a.name), url: a.url === undefined ? undefined : redact(a.url) }),
              ),
            )
          : undefined,
      });
    }
    case 'step': {
      const b = event.body;
      return patch(b, {
        name: redact(b.name),
        input: redactJson(b.input, redact),
        output: redactJson(b.output, redact),
        metadata: redactJson(b.metadata, redact),
        error: b.error
          ? patch(b.error, {
              message: redact(b.error.message),
              stack: b.error.stack === undefined ? undefined : redact(b.error.stack),
            })
          : undefined,
      });
    }
    case 'conversation': {
      const b = event.body;
      return patch(b, {
        name: b.name === undefined ? undefined : redact(b.name),
        metadata: redactJson(b.metadata, redact),
        tags: b.tags ? sameArray(b.tags, b.tags.map(redact)) : undefined,
      });
    }
    case 'feedback':
    case 'score': {
      const b = event.body;
      return patch(b, {
        comment: b.comment === undefined ? undefined : redact(b.comment),
        metadata: redactJson(b.metadata, redact),
      });
    }
  }
}

/** `target` with the changed fields of `changes` (undefined ones are absent fields): itself when none changed. */
function patch<T extends object>(target: T, changes: { [K in keyof T]?: T[K] | undefined }): T {
  let copy: T | null = null;
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined || value === (target as Record<string, unknown>)[key]) continue;
    copy ??= { ...target };
    (copy as Record<string, unknown>)[key] = value;
  }
  return copy ?? target;
}

function sameArray<T>(original: readonly T[], mapped: T[]): T[] {
  return mapped.every((value, i) => value === original[i]) ? (original as T[]) : mapped;
}

/** A JSON value with every string (and object key) redacted; the same value when nothing changed. */
export function redactJson<T>(value: T, redact: Redact): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value))
    return sameArray(
      value,
      value.map((item) => redactJson(item, redact)),
    ) as T;
  if (value === null || typeof value !== 'object') return value;
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    let name = redact(key);
    const redacted = redactJson(item, redact);
    if (name !== key) {
      const base = name;
      for (let n = 2; Object.hasOwn(out, name) || Object.hasOwn(value, name); n += 1) name = `${base}#${n}`;
    }
    if (name !== key || redacted !== item) changed = true;
    out[name] = redacted;
  }
  return (changed ? out : value) as T;
}
