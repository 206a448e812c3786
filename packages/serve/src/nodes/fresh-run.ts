/**
 * A node does not make its clients wait for a new run's record to be stored (it is written with the next
 * batch), so a client sent at once to another node may ask for a run not recorded yet. Run ids are UUIDv7
 * (`newId()`): their first 48 bits are the millisecond they were made. A lookup that finds nothing for an
 * id made in the last moments waits for its record a little (polling), instead of answering not_found;
 * any other miss answers at once.
 */
import type { StoredRun } from '@sightline/agents';

const UUID_V7 = /^([0-9a-f]{8})-([0-9a-f]{4})-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** The time (ms since the epoch) a UUIDv7 was made; undefined for any other id. */
export function uuidV7Time(id: string): number | undefined {
  const match = UUID_V7.exec(id);
  return match ? Number.parseInt(`${match[1]}${match[2]}`, 16) : undefined;
}

/**
 * `read()` until it finds a run, while `id` is a UUIDv7 made less than `windowMs` ago (by this clock, at
 * most `windowMs` from now whatever the other node's clock said); undefined when it never does.
 */
export async function readFreshRun(
  id: string,
  read: () => Promise<StoredRun | undefined>,
  windowMs: number,
): Promise<StoredRun | undefined> {
  const found = await read();
  const madeAt = uuidV7Time(id);
  if (found || madeAt === undefined) return found;
  const deadline = Math.min(madeAt, Date.now()) + windowMs;
  for (let wait = 10; Date.now() < deadline; wait = Math.min(wait * 2, 200)) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(wait, Math.max(1, deadline - Date.now()))));
    const run = await read();
    if (run) return run;
  }
  return undefined;
}
