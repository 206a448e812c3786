/**
 * `sightline retention`: shows a project's retention (its days, its customers kept for other days, the
 * last expiry run), sets the project's days, sets or removes a customer's override, and runs expiry now
 * (batch after batch until nothing past the window is left). Works on the database directly, like
 * `keys` and `projects`; a running collector picks changes up at its next run.
 */
import type { ExpiredRows, RetentionStatus } from '@sightline/core';
import type { Store } from '@sightline/store';

export const RETENTION_HELP = `  retention [show] [--project <id>]
                        The project's retention, customers kept for other days, the last expiry run
  retention set --days <n>|forever [--project <id>]
                        Keep conversations n days after their last activity (1-36500); forever: never expire
  retention customer <customerId> --days <n>|none [--project <id>]
                        Keep one customer's conversations n days instead (longer or shorter); none: the project's days
  retention run [--project <id>] [--batch-size <n>]
                        Expire now, batch after batch, until nothing past the window is left`;

export interface RetentionCommand {
  sub: string | undefined;
  /** The positional after the subcommand (the customer id). */
  arg: string | undefined;
  values: { project?: string | undefined; days?: string | undefined; 'batch-size'?: string | undefined };
  out: (line: string) => void;
}

/** Runs a `retention` subcommand; resolves to the exit code (bad input throws, naming the option). */
export async function retention(store: Store, command: RetentionCommand): Promise<number> {
  const projectId = command.values.project ?? (await store.listProjects())[0]?.id;
  if (!projectId)
    throw new Error('retention: no project exists; run "sightline start" or "sightline projects create"');
  if ((await store.getProject(projectId)) === null)
    throw new Error(`retention: --project: no project ${JSON.stringify(projectId)}`);
  switch (command.sub ?? 'show') {
    case 'show':
      printStatus(await store.getRetentionStatus(projectId), command.out);
      return 0;
    case 'set': {
      const days = parseDays(command.values.days, 'forever', 'retention set');
      await store.updateProjectSettings(projectId, { retentionDays: days });
      command.out(
        days === null
          ? 'Conversations are kept forever.'
          : `Conversations are kept ${days} days after their last activity.`,
      );
      return 0;
    }
    case 'customer': {
      if (!command.arg)
        throw new Error('retention customer: give the customer id: retention customer <id> --days <n>|none');
      const days = parseDays(command.values.days, 'none', 'retention customer');
      await store.setCustomerRetention(projectId, command.arg, days);
      command.out(
        days === null
          ? `Customer ${command.arg} follows the project's retention.`
          : `Customer ${command.arg}'s conversations are kept ${days} days after their last activity.`,
      );
      return 0;
    }
    case 'run':
      return runNow(store, { projectId, batchSize: command.values['batch-size'], out: command.out });
    default:
      throw new Error(`retention: unknown subcommand "${command.sub}"; use show, set, customer or run`);
  }
}

/** `--days`: a whole number, or the word meaning no limit (null). */
function parseDays(value: string | undefined, none: string, where: string): number | null {
  if (value === none) return null;
  const days = Number(value);
  if (value === undefined || !/^\d+$/.test(value) || days < 1 || days > 36_500)
    throw new Error(
      `${where}: --days must be a whole number from 1 to 36500, or "${none}" (got ${value ?? 'nothing'})`,
    );
  return days;
}

async function runNow(
  store: Store,
  options: { projectId: string; batchSize: string | undefined; out: (line: string) => void },
): Promise<number> {
  const batchSize = options.batchSize === undefined ? 100 : Number(options.batchSize);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 128)
    throw new Error(
      `retention run: --batch-size must be a whole number from 1 to 128 (got ${options.batchSize})`,
    );
  const removed: Record<string, number> = {};
  for (;;) {
    const outcome = await store.expireData(options.projectId, { batchSize, pauseMs: 0 });
    for (const [kind, n] of Object.entries(outcome.removed)) removed[kind] = (removed[kind] ?? 0) + n;
    if (outcome.caughtUp) break;
  }
  options.out(`Removed: ${describeRows(removed as ExpiredRows)}.`);
  return 0;
}

function describeRows(rows: ExpiredRows): string {
  return `${rows.conversations} conversations, ${rows.messages} messages, ${rows.steps} steps, ${rows.feedback} feedback, ${rows.scores} scores, ${rows.customers} customers`;
}

function printStatus(status: RetentionStatus, out: (line: string) => void): void {
  out(
    status.retentionDays === null
      ? 'Retention: forever (conversations never expire).'
      : `Retention: ${status.retentionDays} days after a conversation's last activity.`,
  );
  if (status.customers.length === 0) out('Customers kept for other days: none.');
  else {
    out('Customers kept for other days:');
    for (const customer of status.customers) out(`  ${customer.customerId}\t${customer.days} days`);
  }
  const run = status.lastRun;
  if (!run) out('Last run: never.');
  else {
    const state = run.caughtUp ? 'caught up' : 'more left for the next run';
    out(`Last run: ${run.at} (${state}); removed ${describeRows(run.removed)}.`);
    out(`Removed by all runs: ${describeRows(run.removedTotal)}.`);
  }
}
