import { v7 as uuidv7, validate, version } from 'uuid';

// uuid's own v7() draws its 16 random bytes with one crypto.getRandomValues call per id (~2 µs on
// Node 24); drawing them from a pool refilled 256 ids at a time costs ~0.15 µs. The monotonic
// millisecond + sequence state is kept here exactly as uuid keeps it (ids sort by creation in a process).
const POOL_IDS = 256;
const pool = new Uint8Array(16 * POOL_IDS);
let poolOffset = pool.length;
const state = { msecs: Number.NEGATIVE_INFINITY, seq: 0 };

function randomBytes(): Uint8Array {
  if (poolOffset >= pool.length) {
    crypto.getRandomValues(pool);
    poolOffset = 0;
  }
  const bytes = pool.subarray(poolOffset, poolOffset + 16);
  poolOffset += 16;
  return bytes;
}

/** A new UUIDv7: time-sortable and unique without coordination, so retries can be deduplicated. */
export function newId(): string {
  const random = randomBytes();
  const now = Date.now();
  if (now > state.msecs) {
    state.msecs = now;
    state.seq =
      (((random[6] ?? 0) & 0x7f) << 24) |
      ((random[7] ?? 0) << 16) |
      ((random[8] ?? 0) << 8) |
      (random[9] ?? 0);
  } else {
    state.seq = (state.seq + 1) | 0;
    if (state.seq === 0) state.msecs += 1;
  }
  return uuidv7({ random, msecs: state.msecs, seq: state.seq });
}

/** A new conversation id for callers that have none (the seeds' `generate_conversation_id`). */
export function generateConversationId(): string {
  return `conv_${uuidv7()}`;
}

/** True when `value` is a UUID of version 7. */
export function isUuidV7(value: string): boolean {
  return validate(value) && version(value) === 7;
}

/** True when `value` is any RFC 9562 UUID. */
export function isUuid(value: string): boolean {
  return validate(value);
}
