/**
 * Runs the store's migrations (migrations.ts) with Kysely's migrator, in this connection's schema.
 */
import { type Kysely, sql } from 'kysely';
import { type MigrationProvider, Migrator } from 'kysely/migration';
import type { DialectName } from './dialect.ts';
import { StoreError } from './errors.ts';
import { migrations } from './migrations.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe tables that the typed schema does not know yet
type AnyDb = Kysely<any>;

/**
 * Applies every pending migration (or those up to `target`, for tests of an upgrade); throws a
 * StoreError naming the one that failed.
 */
export async function migrateToLatest(db: AnyDb, dialect: DialectName, target?: string): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(dialect) };
  // Kysely looks for its migration tables in every schema unless told which one: with another
  // Sightline schema in the same database it would find theirs and never create ours.
  const schema =
    dialect === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'sightline_migrations',
    migrationLockTableName: 'sightline_migrations_lock',
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  let { error, results } = await runMigrator(migrator, target);
  // Kysely's migrator looks its tables up across every schema, calling catalog functions on each; a
  // schema another process drops meanwhile (a test's, a tenant's) fails that lookup with 3F000 naming
  // it, before any migration runs (each runs in a transaction). Such a failure is retried.
  for (let retry = 0; retry < 3 && error && otherSchemaDropped(error, schema); retry++)
    ({ error, results } = await runMigrator(migrator, target));
  if (error) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
    throw new StoreError('internal', `migration ${failed} failed`, { cause: error });
  }
  return (results ?? [])
    .filter((result) => result.status === 'Success')
    .map((result) => result.migrationName);
}

function runMigrator(migrator: Migrator, target: string | undefined) {
  return target ? migrator.migrateTo(target) : migrator.migrateToLatest();
}

/** Whether `error` is PostgreSQL's "schema … does not exist" (3F000) for a schema other than `ours`. */
function otherSchemaDropped(error: unknown, ours: string | undefined): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === '3F000' && typeof message === 'string' && !message.includes(`"${ours}"`);
}
