const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
/** `rand_a` values 0..4095 as three hex digits, precomputed so an id costs one lookup. */
const HEX3 = Array.from({ length: 4096 }, (_, value) => value.toString(16).padStart(3, '0'));
const VARIANT = ['8', '9', 'a', 'b'];

/**
 * Generates UUIDv7 ids at hot-path cost (tens of nanoseconds, against microseconds for a
 * crypto-random id per call): the 48-bit millisecond prefix and the 62 random bits of `rand_b`
 * are drawn once per millisecond, and the 12-bit `rand_a` is a counter within that millisecond
 * (RFC 9562 §6.2, method 1). Ids are unique, sort by time and stay monotonic within the process.
 */
export class EventIdGenerator {
  /** Wall-clock time (epoch ms) read by the last `next()`, so callers need no second clock read. */
  now = 0;
  private lastMs = -1;
  private counter = 0;
  private prefix = '';
  private tail = '';
  private readonly pool = new Uint8Array(512);
  private poolOffset = 512;

  /** A new UUIDv7 string. */
  next(): string {
    const now = Date.now();
    this.now = now;
    if (now > this.lastMs) {
      this.refresh(now);
    } else if (++this.counter > 4095) {
      this.refresh(this.lastMs + 1);
    }
    return this.prefix + HEX3[this.counter] + this.tail;
  }

  private refresh(ms: number): void {
    this.lastMs = ms;
    const hex = ms.toString(16).padStart(12, '0');
    this.prefix = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7`;
    const bytes = this.random(10);
    // Start the counter in the lower half so a millisecond has room for 2048+ ids.
    this.counter = ((bytes[0] as number) << 3) & 0x7ff;
    let tail = `-${VARIANT[(bytes[1] as number) & 3]}${HEX[bytes[2] as number]?.[1]}${HEX[bytes[3] as number]}-`;
    for (let i = 4; i < 10; i++) tail += HEX[bytes[i] as number];
    this.tail = tail;
  }

  private random(count: number): Uint8Array {
    if (this.poolOffset + count > this.pool.length) {
      crypto.getRandomValues(this.pool);
      this.poolOffset = 0;
    }
    const slice = this.pool.subarray(this.poolOffset, this.poolOffset + count);
    this.poolOffset += count;
    return slice;
  }
}
