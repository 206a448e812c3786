import { validate, version } from 'uuid';
import { EventIdGenerator } from './event-ids.ts';

const generator = new EventIdGenerator();

/** A new UUIDv7: time-sortable and unique without coordination, so retries can be deduplicated. */
export function newId(): string {
  return generator.next();
}

/** A new conversation id for callers that have none (the seeds' `generate_conversation_id`). */
export function generateConversationId(): string {
  return `conv_${newId()}`;
}

/** True when `value` is a UUID of version 7. */
export function isUuidV7(value: string): boolean {
  return validate(value) && version(value) === 7;
}

/** True when `value` is any RFC 9562 UUID. */
export function isUuid(value: string): boolean {
  return validate(value);
}
