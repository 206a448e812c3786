/**
 * Schema migrations, one list for both dialects. They run on start (`store.migrate()`), under
 * Kysely's migration lock, so several nodes starting at once apply each migration exactly once.
 */
import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';
import { addAgentVersions } from './agent-versions-migration.ts';
import { createConversationAliases } from './conversation-aliases-migration.ts';
import { addConversationCuration } from './conversation-curation-migration.ts';
import { createDatasets } from './datasets-migration.ts';
import type { DialectName } from './dialect.ts';
import { separateFeedbackSources } from './feedback-sources-migration.ts';
import { createIngestCounters } from './ingest-counters-migration.ts';
import { createProjectSettings } from './project-settings-migration.ts';
import { createRetention } from './retention-migration.ts';
import { scopeIdsByConversation } from './scoped-ids-migration.ts';
import { createScoreFilterIndex } from './score-filter-index-migration.ts';
import { createScoreFilterStatistics } from './score-filter-statistics-migration.ts';
import { createScores } from './scores-migration.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe tables that the typed schema does not know yet
type AnyDb = Kysely<any>;

/** Every migration of the store, by name, in the order they apply (migrator.ts runs them). */
export function migrations(dialect: DialectName): Record<string, Migration> {
  return {
    '0001_initial': { up: (db) => initialSchema(db, dialect) },
    '0002_conversation_scoped_ids': { up: (db) => scopeIdsByConversation(db, dialect) },
    '0003_ingest_counters': { up: (db) => createIngestCounters(db) },
    '0004_conversation_aliases': { up: (db) => createConversationAliases(db) },
    '0005_project_settings': { up: (db) => createProjectSettings(db) },
    '0006_conversation_curation': { up: (db) => addConversationCuration(db) },
    '0007_scores': { up: (db) => createScores(db, dialect) },
    '0008_agent_versions': { up: (db) => addAgentVersions(db, dialect) },
    '0009_feedback_sources': { up: (db) => separateFeedbackSources(db, dialect) },
    '0010_retention': { up: (db) => createRetention(db, dialect) },
    '0011_datasets': { up: (db) => createDatasets(db, dialect) },
    '0012_score_filter_index': { up: (db) => createScoreFilterIndex(db) },
    '0013_score_filter_statistics': { up: (db) => createScoreFilterStatistics(db, dialect) },
  };
}

async function initialSchema(db: AnyDb, dialect: DialectName): Promise<void> {
  const s = db.schema;
  const withoutRowid = dialect === 'sqlite' ? sql`without rowid` : sql``;

  await s
    .createTable('projects')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await s
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute();

  await s
    .createTable('ingested_events')
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('ingested_events_pk', ['project_id', 'id'])
    .modifyEnd(withoutRowid)
    .execute();

  await createConversations(db);
  await createEventTables(db);
  await createRollups(db, withoutRowid);
  await createCustomerTables(db, withoutRowid);
  await createHealthTables(db, dialect);
  await createTextSearch(db, dialect);
}

async function createConversations(db: AnyDb): Promise<void> {
  const counters = [
    'message_count',
    'step_count',
    'tool_call_count',
    'llm_call_count',
    'error_count',
    'input_tokens',
    'output_tokens',
    'fb_positive',
    'fb_neutral',
    'fb_negative',
  ];
  let table = db.schema
    .createTable('conversations')
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text')
    .addColumn('name', 'text')
    .addColumn('source', 'text')
    .addColumn('device', 'text')
    .addColumn('language', 'text')
    .addColumn('environment', 'text', (c) => c.notNull())
    .addColumn('metadata', 'text', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('last_activity_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .addColumn('first_message', 'text')
    .addColumn('first_message_at', 'bigint')
    .addColumn('last_human_at', 'bigint')
    .addColumn('last_agent_at', 'bigint')
    .addColumn('cost_usd', 'double precision', (c) => c.notNull().defaultTo(0));
  for (const counter of counters) table = table.addColumn(counter, 'bigint', (c) => c.notNull().defaultTo(0));
  await table.addPrimaryKeyConstraint('conversations_pk', ['project_id', 'id']).execute();

  const index = (name: string, columns: string[]) =>
    db.schema.createIndex(name).on('conversations').columns(columns).execute();
  await index('conversations_recent', ['project_id', 'last_activity_at desc', 'id desc']);
  await index('conversations_customer', ['project_id', 'customer_id', 'last_activity_at desc', 'id desc']);
  await index('conversations_started', ['project_id', 'started_at']);
}

async function createEventTables(db: AnyDb): Promise<void> {
  const s = db.schema;
  await s
    .createTable('messages')
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('metadata', 'text', (c) => c.notNull())
    .addColumn('attachments', 'text', (c) => c.notNull())
    .addColumn('timestamp', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('messages_key', ['project_id', 'id'])
    .execute();
  await s
    .createIndex('messages_conversation')
    .on('messages')
    .columns(['project_id', 'conversation_id', 'timestamp'])
    .execute();

  let steps = s
    .createTable('steps')
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .addColumn('duration_ms', 'double precision');
  for (const column of ['input', 'output', 'error', 'tools_used', 'metadata', 'model', 'provider']) {
    steps = steps.addColumn(column, 'text');
  }
  for (const column of ['input_tokens', 'output_tokens', 'total_tokens'])
    steps = steps.addColumn(column, 'bigint');
  await steps
    .addColumn('cost_usd', 'double precision')
    .addColumn('ttft_ms', 'double precision')
    .addColumn('finished', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('steps_pk', ['project_id', 'id'])
    .execute();
  await s
    .createIndex('steps_conversation')
    .on('steps')
    .columns(['project_id', 'conversation_id', 'started_at'])
    .execute();
  await s.createIndex('steps_by_name').on('steps').columns(['project_id', 'name', 'started_at']).execute();

  await s
    .createTable('feedback')
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .addColumn('sentiment', 'text')
    .addColumn('score_name', 'text')
    .addColumn('score_value', 'double precision')
    .addColumn('comment', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('metadata', 'text', (c) => c.notNull())
    .addColumn('timestamp', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('feedback_pk', ['project_id', 'id'])
    .execute();
  await s
    .createIndex('feedback_conversation')
    .on('feedback')
    .columns(['project_id', 'conversation_id'])
    .execute();
}

async function createRollups(db: AnyDb, withoutRowid: ReturnType<typeof sql>): Promise<void> {
  const s = db.schema;
  // Keys lead with the time bucket after the project, so a range read uses the index with or
  // without an environment filter.
  const key: never[] = ['project_id', 'bucket', 'environment'] as never[];
  let rollup = s
    .createTable('rollup_hourly')
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('environment', 'text', (c) => c.notNull())
    .addColumn('bucket', 'bigint', (c) => c.notNull());
  for (const column of [
    'conversations',
    'messages',
    'human_messages',
    'agent_messages',
    'customers',
    'tool_calls',
    'tool_errors',
    'llm_calls',
    'errors',
    'input_tokens',
    'output_tokens',
    'fb_positive',
    'fb_neutral',
    'fb_negative',
  ]) {
    rollup = rollup.addColumn(column, 'bigint', (c) => c.notNull().defaultTo(0));
  }
  await rollup
    .addColumn('cost_usd', 'double precision', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('rollup_hourly_pk', key)
    .modifyEnd(withoutRowid)
    .execute();

  await s
    .createTable('daily_customers')
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('environment', 'text', (c) => c.notNull())
    .addColumn('bucket', 'bigint', (c) => c.notNull())
    .addColumn('customers', 'bigint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('daily_customers_pk', key)
    .modifyEnd(withoutRowid)
    .execute();

  await s
    .createTable('tool_hourly')
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('environment', 'text', (c) => c.notNull())
    .addColumn('bucket', 'bigint', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('calls', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('errors', 'bigint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('tool_hourly_pk', [...key, 'name' as never])
    .modifyEnd(withoutRowid)
    .execute();

  await s
    .createTable('model_hourly')
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('environment', 'text', (c) => c.notNull())
    .addColumn('bucket', 'bigint', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('calls', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('input_tokens', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('output_tokens', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('cost_usd', 'double precision', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('model_hourly_pk', [...key, 'model' as never, 'provider' as never])
    .modifyEnd(withoutRowid)
    .execute();

  for (const table of ['latency_hourly', 'latency_daily']) {
    await s
      .createTable(table)
      .addColumn('project_id', 'text', (c) => c.notNull())
      .addColumn('environment', 'text', (c) => c.notNull())
      .addColumn('bucket', 'bigint', (c) => c.notNull())
      .addColumn('metric', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('bin', 'integer', (c) => c.notNull())
      .addColumn('count', 'bigint', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint(`${table}_pk`, [
        'project_id',
        'metric',
        'bucket',
        'environment',
        'key',
        'bin',
      ] as never[])
      .modifyEnd(withoutRowid)
      .execute();
  }
}

async function createCustomerTables(db: AnyDb, withoutRowid: ReturnType<typeof sql>): Promise<void> {
  const s = db.schema;
  await s
    .createTable('customer_activity')
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('environment', 'text', (c) => c.notNull())
    .addColumn('granularity', 'text', (c) => c.notNull())
    .addColumn('bucket', 'bigint', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('customer_activity_pk', [
      'project_id',
      'environment',
      'granularity',
      'bucket',
      'customer_id',
    ])
    .modifyEnd(withoutRowid)
    .execute();

  const usage = ['conversations', 'messages', 'tool_calls', 'errors', 'input_tokens', 'output_tokens'];
  let daily = s
    .createTable('customer_daily')
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('day', 'bigint', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull());
  for (const column of usage) daily = daily.addColumn(column, 'bigint', (c) => c.notNull().defaultTo(0));
  await daily
    .addColumn('cost_usd', 'double precision', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('customer_daily_pk', ['project_id', 'day', 'customer_id'])
    .modifyEnd(withoutRowid)
    .execute();

  let customers = s
    .createTable('customers')
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull());
  for (const column of usage)
    customers = customers.addColumn(column, 'bigint', (c) => c.notNull().defaultTo(0));
  await customers
    .addColumn('cost_usd', 'double precision', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('customers_pk', ['project_id', 'customer_id'])
    .execute();
  await s
    .createIndex('customers_recent')
    .on('customers')
    .columns(['project_id', 'last_seen_at desc', 'customer_id'])
    .execute();
}

async function createHealthTables(db: AnyDb, dialect: DialectName): Promise<void> {
  const s = db.schema;
  await s
    .createTable('ingest_rejections')
    .addColumn('seq', dialect === 'sqlite' ? 'integer' : 'bigserial', (c) =>
      dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
    )
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('event_id', 'text')
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('sample', 'text')
    .execute();
  await s
    .createIndex('ingest_rejections_project')
    .on('ingest_rejections')
    .columns(['project_id', 'seq'])
    .execute();

  await s
    .createTable('client_reports')
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('instance_id', 'text', (c) => c.notNull())
    .addColumn('sdk', 'text', (c) => c.notNull())
    .addColumn('version', 'text')
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('dropped_events', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('payloads_truncated', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('client_reports_pk', ['project_id', 'instance_id'])
    .execute();
}

async function createTextSearch(db: AnyDb, dialect: DialectName): Promise<void> {
  if (dialect === 'sqlite') {
    await sql`create virtual table message_search using fts5(content, content='messages', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')`.execute(
      db,
    );
    await sql`create trigger messages_search_insert after insert on messages begin
      insert into message_search(rowid, content) values (new.rowid, new.content);
    end`.execute(db);
    return;
  }
  await sql`create index messages_search on messages using gin (to_tsvector('simple', content))`.execute(db);
}
