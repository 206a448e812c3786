/**
 * Erasing the ingestion page's samples of rejected events that name an erased conversation or
 * customer. A sample is the start of the rejected event as JSON (cut at a length, so not always
 * parseable): each JSON string in it is compared, unescaped, with the erased ids. A project keeps at
 * most KEPT_REJECTIONS of them, so they are read whole.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../schema.ts';

/** A complete JSON string literal. */
const JSON_STRING = /"(?:[^"\\]|\\.)*"/g;

/** Whether a sample holds one of `ids` as a JSON string. */
function names(sample: string, ids: ReadonlySet<string>): boolean {
  for (const [literal] of sample.matchAll(JSON_STRING)) {
    try {
      if (ids.has(JSON.parse(literal) as string)) return true;
    } catch {
      // an escape the cut left incomplete: not an id
    }
  }
  return false;
}

/** Deletes the project's rejection records whose sample names one of `ids`; returns how many. */
export async function eraseRejectionSamples(
  trx: Transaction<Database>,
  options: { projectId: string; ids: ReadonlySet<string> },
): Promise<number> {
  const { projectId, ids } = options;
  if (ids.size === 0) return 0;
  const rows = await trx
    .selectFrom('ingest_rejections')
    .select(['seq', 'sample'])
    .where('project_id', '=', projectId)
    .execute();
  const doomed = rows.filter((row) => row.sample !== null && names(row.sample, ids)).map((row) => row.seq);
  let deleted = 0;
  for (let start = 0; start < doomed.length; start += 500) {
    const result = await trx
      .deleteFrom('ingest_rejections')
      .where('project_id', '=', projectId)
      .where('seq', 'in', doomed.slice(start, start + 500))
      .executeTakeFirst();
    deleted += Number(result.numDeletedRows);
  }
  return deleted;
}
