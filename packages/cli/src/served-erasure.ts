/**
 * The seam between the collector's erasures and the agents served beside it: when the collector erases
 * a conversation or a customer of the served project (`DELETE /v1/conversations/:id`,
 * `DELETE /v1/customers/:id`), the served sessions, paused runs and run records of that tracked
 * conversation, or of that customer (the served user of that id), are erased too, and so are those of
 * the replay conversations the collector erased with them (`sightline replay` sessions of the served
 * user who ran the replay), all counted in the receipt's `elsewhere`. Erasures in other projects are not
 * this project's served data.
 */
import { eraseServedData, type ServedDataEraser } from '@sightline/serve';
import type { SightlineApp } from '@sightline/server';

/** Adds the hook to the collector; returns its removal. */
export function wireServedErasure(options: {
  collector: SightlineApp;
  projectId: string;
  eraser: ServedDataEraser;
}): () => void {
  return options.collector.addEraseHook(async (erasure) => {
    if (erasure.projectId !== options.projectId) return undefined;
    return { ...(await eraseServedData(options.eraser, erasure)) };
  });
}
