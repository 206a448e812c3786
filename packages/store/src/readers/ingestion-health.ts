/** What the Ingestion health page shows: recent rejections with reasons, and trackers' drop counters. */
import { type ClientReport, type IngestionHealth, type RejectedEvent, toStorableText } from '@sightline/core';
import type { ReadContext } from './conversations.ts';

/** How many rejections a project keeps (older ones are deleted as new ones arrive). */
export const KEPT_REJECTIONS = 1_000;

export interface RejectionRecord extends RejectedEvent {
  /** A short excerpt of the rejected event, for people to see what was sent. */
  sample: string | null;
}

/** Records rejected events (one row per issue) and trims the project's history to KEPT_REJECTIONS. */
export async function recordRejections(
  ctx: ReadContext,
  projectId: string,
  rejected: RejectionRecord[],
): Promise<void> {
  const at = Date.now();
  const rows = rejected.flatMap((event) =>
    event.issues.slice(0, 5).map((issue) => ({
      project_id: projectId,
      at,
      event_id: storable(event.id?.slice(0, 256) ?? null),
      path: toStorableText(issue.path.slice(0, 512)),
      message: toStorableText(issue.message.slice(0, 1024)),
      sample: storable(event.sample),
    })),
  );
  if (rows.length === 0) return;
  await ctx.db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += 500)
      await trx
        .insertInto('ingest_rejections')
        .values(rows.slice(i, i + 500))
        .execute();
    const edge = await trx
      .selectFrom('ingest_rejections')
      .select('seq')
      .where('project_id', '=', projectId)
      .orderBy('seq', 'desc')
      .offset(KEPT_REJECTIONS)
      .limit(1)
      .executeTakeFirst();
    if (edge)
      await trx
        .deleteFrom('ingest_rejections')
        .where('project_id', '=', projectId)
        .where('seq', '<=', edge.seq)
        .execute();
  });
}

/** Rejected input is recorded as people will read it: anything PostgreSQL cannot hold becomes U+FFFD. */
function storable(text: string | null): string | null {
  return text === null ? null : toStorableText(text);
}

/** Adds to the project's counters of what the collector changed in stored events (e.g. `text_replaced`). */
export async function addIngestCounts(
  ctx: ReadContext,
  projectId: string,
  counts: Record<string, number>,
): Promise<void> {
  const at = Date.now();
  const rows = Object.entries(counts)
    .filter(([, count]) => count > 0)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, count]) => ({ project_id: projectId, name, count, last_at: at }));
  if (rows.length === 0) return;
  await ctx.db
    .insertInto('ingest_counters')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['project_id', 'name']).doUpdateSet((eb) => ({
        count: eb('ingest_counters.count', '+', eb.ref('excluded.count')),
        last_at: eb.ref('excluded.last_at'),
      })),
    )
    .execute();
}

/** Stores the latest report of a tracker instance (its counters are cumulative, so the latest wins). */
export async function recordClientReport(
  ctx: ReadContext,
  projectId: string,
  report: ClientReport,
): Promise<void> {
  const row = {
    project_id: projectId,
    instance_id: report.instanceId,
    sdk: report.sdk,
    version: report.version ?? null,
    last_seen_at: Date.now(),
    dropped_events: report.dropped?.events ?? 0,
    payloads_truncated: report.dropped?.payloadsTruncated ?? 0,
    reasons: JSON.stringify(report.dropped?.reasons ?? {}),
  };
  await ctx.db
    .insertInto('client_reports')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['project_id', 'instance_id']).doUpdateSet({
        sdk: row.sdk,
        version: row.version,
        last_seen_at: row.last_seen_at,
        dropped_events: row.dropped_events,
        payloads_truncated: row.payloads_truncated,
        reasons: row.reasons,
      }),
    )
    .execute();
}

/** Recent rejections, rejections grouped by reason, and every tracker's drop counters. */
export async function getIngestionHealth(ctx: ReadContext, projectId: string): Promise<IngestionHealth> {
  const [recent, grouped, clients, counters] = await Promise.all([
    ctx.db
      .selectFrom('ingest_rejections')
      .selectAll()
      .where('project_id', '=', projectId)
      .orderBy('seq', 'desc')
      .limit(50)
      .execute(),
    ctx.db
      .selectFrom('ingest_rejections')
      .select(['path', 'message', (eb) => eb.fn.countAll<number>().as('count')])
      .where('project_id', '=', projectId)
      .groupBy(['path', 'message'])
      .orderBy('count', 'desc')
      .limit(50)
      .execute(),
    ctx.db
      .selectFrom('client_reports')
      .selectAll()
      .where('project_id', '=', projectId)
      .orderBy('last_seen_at', 'desc')
      .limit(200)
      .execute(),
    ctx.db
      .selectFrom('ingest_counters')
      .selectAll()
      .where('project_id', '=', projectId)
      .orderBy('name')
      .execute(),
  ]);
  return {
    rejected: recent.map((row) => ({
      at: new Date(Number(row.at)).toISOString(),
      eventId: row.event_id,
      path: row.path,
      message: row.message,
      sample: row.sample,
    })),
    rejectedByReason: grouped.map((row) => ({
      path: row.path,
      message: row.message,
      count: Number(row.count),
    })),
    clients: clients.map((row) => ({
      instanceId: row.instance_id,
      sdk: row.sdk,
      version: row.version,
      lastSeenAt: new Date(Number(row.last_seen_at)).toISOString(),
      droppedEvents: Number(row.dropped_events),
      payloadsTruncated: Number(row.payloads_truncated),
      reasons: JSON.parse(row.reasons) as Record<string, number>,
    })),
    counters: counters.map((row) => ({
      name: row.name,
      count: Number(row.count),
      lastAt: new Date(Number(row.last_at)).toISOString(),
    })),
  };
}
