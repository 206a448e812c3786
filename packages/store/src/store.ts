/**
 * The store: one object over either dialect, with the writes the collector makes and the reads its
 * API serves. Create it with `createStore`, then `migrate()` (or use `openStore`, which does both).
 */
import type {
  ClientReport,
  ConversationDetail,
  ConversationFilter,
  ConversationPatch,
  ConversationSummary,
  CustomerFilter,
  CustomerRetention,
  CustomerSummary,
  Dataset,
  DatasetCreate,
  DatasetDetail,
  DatasetItemsAdded,
  Experiment,
  ExperimentCreate,
  ExperimentDetail,
  ExperimentItem,
  ExperimentItemPut,
  IngestionHealth,
  MetricsFilter,
  MetricsResponse,
  Page,
  ParsedEvent,
  ProjectSettings,
  ProjectSettingsInput,
  RetentionStatus,
  StoredStep,
  VersionComparison,
  VersionComparisonFilter,
} from '@sightline/core';
import { conversationPatchSchema } from '@sightline/core';
import { sql } from 'kysely';
import { addDatasetItems, deleteDatasetItem } from './datasets/dataset-items.ts';
import { createDataset, deleteDataset, getDataset, listDatasets } from './datasets/datasets.ts';
import { createExperiment, getExperiment, putExperimentItem } from './datasets/experiments.ts';
import type { Connection, DialectName } from './dialect.ts';
import { openPostgres, type PostgresOptions } from './dialects/postgres.ts';
import { openSqlite, type SqliteOptions } from './dialects/sqlite.ts';
import { StoreError } from './errors.ts';
import * as keys from './keys.ts';
import { migrateToLatest } from './migrator.ts';
import { type ModelPrice, PriceTable } from './pricing.ts';
import { getProjectSettings, updateProjectSettings } from './project-settings.ts';
import {
  type ConversationExportOptions,
  type ExportedConversation,
  type ExportFilter,
  exportConversations,
} from './readers/conversation-export.ts';
import { existingConversations, resolveAliases } from './readers/conversation-lookup.ts';
import { getConversation, listConversations } from './readers/conversations.ts';
import { listCustomers } from './readers/customers.ts';
import {
  addIngestCounts,
  getIngestionHealth,
  type RejectionRecord,
  recordClientReport,
  recordRejections,
} from './readers/ingestion-health.ts';
import { getMetrics } from './readers/metrics.ts';
import { listToolCalls, type ToolCallFilter } from './readers/tool-calls.ts';
import { readVersionMetrics } from './readers/version-metrics.ts';
import { setCustomerRetention } from './retention/customer-retention.ts';
import { type ExpiryOptions, type ExpiryOutcome, runExpiry } from './retention/expiry-run.ts';
import { getRetentionStatus } from './retention/retention-runs.ts';
import { retryableOnTransient } from './transient-errors.ts';
import { type AppendOutcome, appendBatch } from './writer/append.ts';
import { updateConversation } from './writer/conversation-curation.ts';
import { type ErasureOutcome, eraseConversation, eraseCustomer } from './writer/conversation-erasure.ts';
import { type ConversationMerge, type MergeOutcome, mergeConversation } from './writer/conversation-merge.ts';

export interface StoreOptions {
  /**
   * Where the data lives: a `postgres://` / `postgresql://` URL, a SQLite file path (optionally
   * prefixed `sqlite:`), or `:memory:`. Default `./.sightline/sightline.db`.
   */
  database?: string;
  /** SQLite settings (file and durability); overrides `database`. */
  sqlite?: SqliteOptions;
  /** PostgreSQL settings (url or pool); overrides `database`. */
  postgres?: PostgresOptions;
  /** Model prices added to (and overriding) the built-in table. */
  prices?: ModelPrice[];
}

export interface Store {
  readonly dialect: DialectName;
  readonly prices: PriceTable;
  /** Applies pending migrations; returns the names applied. */
  migrate(): Promise<string[]>;
  /** Checks the database answers (for readiness probes). */
  ping(): Promise<void>;
  close(): Promise<void>;

  /**
   * Sends a message to every process sharing this database (PostgreSQL NOTIFY, at most ~7 KB);
   * with SQLite, which one process owns, there is no one else to tell and this does nothing.
   */
  broadcast(channel: string, payload: string): Promise<void>;
  /** Receives other processes' broadcasts on a channel; resolves to an unsubscribe function. */
  subscribe(channel: string, handler: (payload: string) => void): Promise<() => Promise<void>>;

  /** Stores validated events of one project atomically and idempotently (by event id). */
  append(projectId: string, events: ParsedEvent[]): Promise<AppendOutcome>;
  recordRejections(projectId: string, rejected: RejectionRecord[]): Promise<void>;
  recordClientReport(projectId: string, report: ClientReport): Promise<void>;
  /** Adds to the counts of what the collector changed in stored events (see IngestionHealth.counters). */
  addIngestCounts(projectId: string, counts: Record<string, number>): Promise<void>;

  listConversations(projectId: string, filter: ConversationFilter): Promise<Page<ConversationSummary>>;
  /**
   * Every conversation matching a list filter, in id order, with its messages, steps and feedback, read
   * in bounded pages (memory stays flat for any number of conversations); stop early with `return()`.
   */
  exportConversations(
    projectId: string,
    filter: ExportFilter,
    options?: ConversationExportOptions,
  ): AsyncIterable<ExportedConversation>;
  getConversation(projectId: string, id: string): Promise<ConversationDetail | null>;
  /** Whether the project has a conversation with this id (cheap). */
  hasConversation(projectId: string, id: string): Promise<boolean>;
  /** Which of these ids name a conversation of the project (one query). */
  existingConversations(projectId: string, ids: readonly string[]): Promise<Set<string>>;
  /**
   * Moves conversation `from`'s messages, steps and feedback into `into` (created if missing) in one
   * transaction, keeping rollups as if `from`'s events had named `into`; deletes `from` and records it
   * as an alias of `into`. Idempotent. StoreError `invalid_request` for an invalid or equal pair of ids.
   */
  mergeConversation(projectId: string, merge: ConversationMerge): Promise<MergeOutcome>;
  /**
   * Renames (`name`; null goes back to the tracked name) and/or marks a conversation; returns it as it
   * now reads, or null when the project has no such conversation. StoreError `invalid_request` for an
   * invalid patch.
   */
  updateConversation(
    projectId: string,
    id: string,
    patch: ConversationPatch,
  ): Promise<ConversationSummary | null>;
  /**
   * Erases a conversation in one transaction: its messages, steps, feedback, aliases and the rejection
   * samples naming it; its contributions to every rollup; its customer's activity and totals as far as
   * they came from it. Idempotent (again: nothing removed). Event ids stay recorded (tombstones).
   */
  eraseConversation(projectId: string, id: string): Promise<ErasureOutcome>;
  /** Erases a customer: every conversation of theirs (as `eraseConversation`), their activity and totals. */
  eraseCustomer(projectId: string, customerId: string): Promise<ErasureOutcome>;
  /**
   * Expires the project's conversations whose last activity is past its retention (or their customer's
   * override) in bounded batches, each a short transaction taking them out as an erasure does (rollups
   * exactly); records the run. See the README, Retention.
   */
  expireData(projectId: string, options?: ExpiryOptions): Promise<ExpiryOutcome>;
  /**
   * Keeps a customer's conversations `days` days instead of the project's retention (null removes the
   * override); returns the override now in force. StoreError `invalid_request` naming the field.
   */
  setCustomerRetention(
    projectId: string,
    customerId: string,
    days: number | null,
  ): Promise<CustomerRetention | null>;
  /** The project's retention, its customers' overrides and its last expiry run. */
  getRetentionStatus(projectId: string): Promise<RetentionStatus>;
  /** The conversations merged-away ids now stand for, for those of `ids` that are aliases (one query). */
  resolveConversationAliases(projectId: string, ids: readonly string[]): Promise<Map<string, string>>;
  getMetrics(projectId: string, filter: MetricsFilter): Promise<MetricsResponse>;
  /**
   * Agent versions side by side over a range: runs and their duration percentiles, cost, tool calls and
   * errors, scores, and the conversations whose latest version each is (all versions when none named).
   */
  compareAgentVersions(projectId: string, filter: VersionComparisonFilter): Promise<VersionComparison>;
  listCustomers(projectId: string, filter: CustomerFilter): Promise<Page<CustomerSummary>>;
  listToolCalls(projectId: string, filter: ToolCallFilter): Promise<StoredStep[]>;
  getIngestionHealth(projectId: string): Promise<IngestionHealth>;

  /** Creates a dataset (core's datasetCreateSchema); StoreError `conflict` naming `name` when it exists. */
  createDataset(projectId: string, input: DatasetCreate): Promise<Dataset>;
  /** The project's datasets, most recently created first. */
  listDatasets(projectId: string): Promise<Dataset[]>;
  /** A dataset (by id, else exact name) with its items and experiments; null when unknown. */
  getDataset(projectId: string, idOrName: string): Promise<DatasetDetail | null>;
  /** Deletes a dataset with its items and experiments; null when unknown. */
  deleteDataset(projectId: string, idOrName: string): Promise<{ items: number; experiments: number } | null>;
  /**
   * Takes conversations into a dataset as their turns (core's turnsOf), once per source conversation;
   * the others are skipped with the reason. Null when the dataset is unknown.
   */
  addDatasetItems(
    projectId: string,
    options: { dataset: string; conversationIds: readonly string[] },
  ): Promise<DatasetItemsAdded | null>;
  /** Removes a dataset item and what experiments made of it; false when unknown. */
  deleteDatasetItem(projectId: string, options: { dataset: string; itemId: string }): Promise<boolean>;
  /**
   * Creates an experiment of a dataset; StoreError `not_found` naming `datasetId`, `conflict` naming
   * `name` when the dataset has an experiment of that name.
   */
  createExperiment(projectId: string, input: ExperimentCreate): Promise<Experiment>;
  /** An experiment and its items; null when unknown. */
  getExperiment(projectId: string, id: string): Promise<ExperimentDetail | null>;
  /**
   * Records (or replaces) the conversation an experiment made of one item of its dataset; StoreError
   * `not_found` naming `experimentId`, `itemId` or `conversationId`.
   */
  putExperimentItem(
    projectId: string,
    input: ExperimentItemPut & { experimentId: string; itemId: string },
  ): Promise<ExperimentItem>;

  createProject(options: { name: string; id?: string }): Promise<keys.Project>;
  listProjects(): Promise<keys.Project[]>;
  getProject(id: string): Promise<keys.Project | null>;
  /** The project's retention and redaction settings (empty when never set). */
  getProjectSettings(projectId: string): Promise<ProjectSettings>;
  /** Merges a change into the project's settings (null clears a field); returns the settings now. */
  updateProjectSettings(projectId: string, patch: ProjectSettingsInput): Promise<ProjectSettings>;
  createApiKey(options: {
    projectId: string;
    scope: keys.KeyScope;
    name?: string;
  }): Promise<{ key: string; apiKey: keys.ApiKey }>;
  findApiKey(key: string): Promise<keys.ApiKey | null>;
  listApiKeys(projectId: string): Promise<keys.ApiKey[]>;
  revokeApiKey(options: { projectId: string; keyId: string }): Promise<boolean>;
}

/** The default SQLite file, relative to the working directory. */
export const DEFAULT_DATABASE = './.sightline/sightline.db';

function connect(options: StoreOptions): Connection {
  if (options.postgres) return openPostgres(options.postgres);
  if (options.sqlite) return openSqlite(options.sqlite);
  const database = options.database ?? DEFAULT_DATABASE;
  if (/^postgres(ql)?:\/\//.test(database)) return openPostgres({ url: database });
  const file = database.startsWith('sqlite:') ? database.slice('sqlite:'.length) : database;
  if (file.length === 0)
    throw new StoreError('invalid_request', 'database: must name a SQLite file or a postgres:// URL');
  return openSqlite({ file });
}

/** Opens a store over SQLite or PostgreSQL (see StoreOptions.database); call `migrate()` before use. */
export function createStore(options: StoreOptions = {}): Store {
  const connection = connect(options);
  const { db, adapter } = connection;
  const prices = new PriceTable(undefined, options.prices ?? []);
  const ctx = { db, adapter, prices };
  return {
    dialect: adapter.name,
    prices,
    migrate: () => migrateToLatest(db as never, adapter.name),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => connection.close(),
    broadcast: (channel, payload) => connection.broadcast(channel, payload),
    subscribe: (channel, handler) => connection.subscribe(channel, handler),
    append: (projectId, events) => retryableOnTransient(() => appendBatch(ctx, projectId, events)),
    recordRejections: (projectId, rejected) => recordRejections(ctx, projectId, rejected),
    recordClientReport: (projectId, report) => recordClientReport(ctx, projectId, report),
    addIngestCounts: (projectId, counts) => addIngestCounts(ctx, projectId, counts),
    listConversations: (projectId, filter) => listConversations(ctx, projectId, filter),
    exportConversations: (projectId, filter, options) =>
      exportConversations({ db: connection.scanDb ?? db, adapter }, projectId, filter, options),
    getConversation: (projectId, id) => getConversation(ctx, projectId, id),
    hasConversation: async (projectId, id) =>
      (await db
        .selectFrom('conversations')
        .select('id')
        .where('project_id', '=', projectId)
        .where('id', '=', id)
        .executeTakeFirst()) !== undefined,
    existingConversations: (projectId, ids) => existingConversations(ctx, projectId, ids),
    mergeConversation: (projectId, merge) =>
      retryableOnTransient(() => mergeConversation(ctx, projectId, merge)),
    resolveConversationAliases: (projectId, ids) => resolveAliases(ctx, projectId, ids),
    updateConversation: async (projectId, id, patch) =>
      updateConversation(db, { projectId, id, patch: checkedPatch(patch) }),
    eraseConversation: (projectId, id) => retryableOnTransient(() => eraseConversation(ctx, projectId, id)),
    eraseCustomer: (projectId, customerId) =>
      retryableOnTransient(() => eraseCustomer(ctx, projectId, customerId)),
    expireData: (projectId, options) => runExpiry(ctx, projectId, options),
    setCustomerRetention: (projectId, customerId, days) =>
      setCustomerRetention(db, { projectId, customerId, days }),
    getRetentionStatus: (projectId) => getRetentionStatus(db, projectId),
    getMetrics: (projectId, filter) => getMetrics(ctx, projectId, filter),
    compareAgentVersions: async (projectId, filter) => ({
      from: new Date(filter.from).toISOString(),
      to: new Date(filter.to).toISOString(),
      versions: await readVersionMetrics(ctx, projectId, { ...filter, withConversations: true }),
    }),
    listCustomers: (projectId, filter) => listCustomers(ctx, projectId, filter),
    listToolCalls: (projectId, filter) => listToolCalls(ctx, projectId, filter),
    getIngestionHealth: (projectId) => getIngestionHealth(ctx, projectId),
    createDataset: (projectId, input) => createDataset(db, projectId, input),
    listDatasets: (projectId) => listDatasets(db, projectId),
    getDataset: (projectId, idOrName) => getDataset(db, projectId, idOrName),
    deleteDataset: (projectId, idOrName) => deleteDataset(db, projectId, idOrName),
    addDatasetItems: (projectId, options) => addDatasetItems(db, projectId, options),
    deleteDatasetItem: (projectId, options) => deleteDatasetItem(db, projectId, options),
    createExperiment: (projectId, input) => createExperiment(db, projectId, input),
    getExperiment: (projectId, id) => getExperiment(db, projectId, id),
    putExperimentItem: (projectId, input) => putExperimentItem(db, projectId, input),
    createProject: (options) => keys.createProject(db, options),
    listProjects: () => keys.listProjects(db),
    getProject: (id) => keys.getProject(db, id),
    getProjectSettings: (projectId) => getProjectSettings(db, projectId),
    updateProjectSettings: (projectId, patch) => updateProjectSettings(db, projectId, patch),
    createApiKey: (options) => keys.createApiKey(db, options),
    findApiKey: (key) => keys.findApiKey(db, key),
    listApiKeys: (projectId) => keys.listApiKeys(db, projectId),
    revokeApiKey: (options) => keys.revokeApiKey(db, options),
  };
}

/** A rename / mark as core's schema accepts it, or StoreError `invalid_request` naming the field. */
function checkedPatch(patch: ConversationPatch): ConversationPatch {
  const checked = conversationPatchSchema.safeParse(patch);
  if (checked.success) return checked.data;
  const issues = checked.error.issues.map((issue) => ({
    path: issue.path.join('.') || 'body',
    message: issue.message,
  }));
  throw new StoreError('invalid_request', `${issues[0]?.path}: ${issues[0]?.message}`, { issues });
}

/** Opens a store and applies pending migrations: what a server does on start. */
export async function openStore(options: StoreOptions = {}): Promise<Store> {
  const store = createStore(options);
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}
