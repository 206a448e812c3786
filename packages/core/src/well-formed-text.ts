/**
 * The one rule for text both databases can store. PostgreSQL cannot hold U+0000 in text, and no
 * UTF-8 database can hold a lone UTF-16 surrogate; SQLite would take either. So, at the boundary,
 * for every dialect alike:
 * - ids (conversation, customer, step, message...) with either are refused (4xx naming the field):
 *   an id changed by replacement could merge two records;
 * - any other text (content, names, inputs, outputs, metadata keys and values) has each U+0000 and
 *   each lone surrogate replaced by U+FFFD, the event is stored, and the fields are reported back
 *   (`sanitized` in the ingest answer) and counted on the ingestion page.
 */

/** The replacement character that takes the place of what cannot be stored. */
export const REPLACEMENT_CHARACTER = '\uFFFD';

/** True when the string holds U+0000 or a lone surrogate. */
export function hasUnstorableText(value: string): boolean {
  return value.includes('\u0000') || !value.isWellFormed();
}

/** The string with each U+0000 and lone surrogate replaced by U+FFFD. */
export function toStorableText(value: string): string {
  return value.toWellFormed().replaceAll('\u0000', REPLACEMENT_CHARACTER);
}

/**
 * Replaces unstorable characters in every string (and object key) of a parsed JSON value, in
 * place where it can; returns the value and adds the dotted path of each changed field to `paths`.
 */
export function toStorableJson(value: unknown, path: string, paths: string[]): unknown {
  if (typeof value === 'string') {
    if (!hasUnstorableText(value)) return value;
    paths.push(path);
    return toStorableText(value);
  }
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = toStorableJson(value[i], `${path}.${i}`, paths);
    return value;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const fixedKey = hasUnstorableText(key) ? toStorableText(key) : key;
    const child = toStorableJson(record[key], `${path}.${fixedKey}`, paths);
    if (fixedKey === key) {
      record[key] = child;
      continue;
    }
    paths.push(`${path}.${fixedKey}`);
    delete record[key];
    record[fixedKey] = child;
  }
  return record;
}
