/**
 * The database schema as Kysely types: one definition shared by the SQLite and PostgreSQL dialects.
 * Times are epoch milliseconds; JSON values are stored as text.
 */
import type { Generated, Selectable } from 'kysely';

export interface ProjectsTable {
  id: string;
  name: string;
  created_at: number;
}

export interface ApiKeysTable {
  id: string;
  project_id: string;
  name: string;
  scope: 'ingest' | 'read' | 'chat' | 'admin';
  key_hash: string;
  prefix: string;
  created_at: number;
  revoked_at: number | null;
}

export interface IngestedEventsTable {
  project_id: string;
  id: string;
  received_at: number;
}

export interface ConversationsTable {
  project_id: string;
  id: string;
  customer_id: string | null;
  name: string | null;
  source: string | null;
  device: string | null;
  language: string | null;
  environment: string;
  metadata: string;
  tags: string;
  started_at: number;
  last_activity_at: number;
  ended_at: number | null;
  first_message: string | null;
  first_message_at: number | null;
  last_human_at: number | null;
  last_agent_at: number | null;
  message_count: number;
  step_count: number;
  tool_call_count: number;
  llm_call_count: number;
  error_count: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  /** Customer feedback only (platform and automatic feedback: feedback_hourly). */
  fb_positive: number;
  fb_neutral: number;
  fb_negative: number;
  /** The agent version of the latest event that named one (migration 0008), and that event's time. */
  agent_version: string | null;
  agent_version_at: number | null;
}

/**
 * Columns of a conversation set by people, never by ingest (migration 0006): the name they gave it
 * (shown instead of the tracked name) and whether they marked it.
 */
export interface ConversationCurationColumns {
  custom_name: string | null;
  /** 1 when marked. */
  marked: Generated<number>;
}

/** A stored conversations row as read back: what ingest writes and what people set. */
export type ConversationRow = Selectable<ConversationsTable & ConversationCurationColumns>;

export interface MessagesTable {
  project_id: string;
  id: string;
  conversation_id: string;
  role: 'human' | 'agent' | 'system';
  content: string;
  metadata: string;
  attachments: string;
  timestamp: number;
  /** The agent version that wrote the message, when stamped (migration 0008). */
  agent_version: string | null;
}

export interface StepsTable {
  project_id: string;
  id: string;
  conversation_id: string;
  parent_id: string | null;
  type: string;
  name: string;
  started_at: number;
  ended_at: number | null;
  duration_ms: number | null;
  input: string | null;
  output: string | null;
  error: string | null;
  tools_used: string | null;
  metadata: string | null;
  model: string | null;
  provider: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  total_tokens: number | null;
  cost_usd: number | null;
  ttft_ms: number | null;
  /** 1 once the step has ended and been counted in the rollups. */
  finished: number;
  /** The agent version that ran the step, when stamped (migration 0008). */
  agent_version: string | null;
}

export interface FeedbackTable {
  project_id: string;
  id: string;
  conversation_id: string;
  message_id: string | null;
  sentiment: 'positive' | 'neutral' | 'negative' | null;
  score_name: string | null;
  score_value: number | null;
  comment: string | null;
  source: 'customer' | 'platform' | 'auto';
  metadata: string;
  timestamp: number;
}

/**
 * A score on a conversation, message or step (migration 0007), keyed by its id within its conversation:
 * a later write of the same id replaces it (the event with the later timestamp, then the greater event
 * id, wins). It keeps the environment, customer and agent version it was counted under in the score
 * rollups, so that replacing, erasing or moving it takes exactly that back out.
 */
export interface ScoresTable {
  project_id: string;
  conversation_id: string;
  id: string;
  message_id: string | null;
  step_id: string | null;
  name: string;
  data_type: 'numeric' | 'boolean' | 'categorical';
  source: 'human' | 'code' | 'model';
  /** The number; booleans as 1 or 0; null for categorical scores. */
  value_num: number | null;
  /** The category of a categorical score; null otherwise. */
  value_text: string | null;
  comment: string | null;
  metadata: string;
  judge_run_id: string | null;
  agent_version: string | null;
  customer_id: string | null;
  environment: string;
  timestamp: number;
  /** The event that wrote this version of the score (ties of timestamp go to the greater id). */
  event_id: string;
}

/** Score counts and sums per hour, environment, name, data type, source, agent version and category. */
export interface ScoreHourlyTable {
  project_id: string;
  bucket: number;
  environment: string;
  name: string;
  data_type: string;
  source: string;
  /** '' when the score names no version. */
  agent_version: string;
  /** The category of a categorical score; '' otherwise. */
  category: string;
  count: number;
  value_sum: number;
}

/** Score counts and sums per customer (all time), name, data type, source and category. */
export interface ScoreCustomersTable {
  project_id: string;
  customer_id: string;
  name: string;
  data_type: string;
  source: string;
  category: string;
  count: number;
  value_sum: number;
}

/** What each agent version did per hour and environment, counted from its finished steps (migration 0008). */
export interface VersionHourlyTable {
  project_id: string;
  bucket: number;
  environment: string;
  agent_version: string;
  runs: number;
  run_errors: number;
  tool_calls: number;
  tool_errors: number;
  llm_calls: number;
  errors: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
}

/** Feedback that is not the customer's (platform, auto) per hour, environment and sentiment (migration 0009). */
export interface FeedbackHourlyTable {
  project_id: string;
  bucket: number;
  environment: string;
  source: string;
  sentiment: string;
  count: number;
}

/** Hourly totals per project and environment: what the overview charts read. */
export interface RollupHourlyTable {
  project_id: string;
  environment: string;
  bucket: number;
  conversations: number;
  messages: number;
  human_messages: number;
  agent_messages: number;
  customers: number;
  tool_calls: number;
  tool_errors: number;
  llm_calls: number;
  errors: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  fb_positive: number;
  fb_neutral: number;
  fb_negative: number;
}

export interface DailyCustomersTable {
  project_id: string;
  environment: string;
  bucket: number;
  customers: number;
}

export interface ToolHourlyTable {
  project_id: string;
  environment: string;
  bucket: number;
  name: string;
  calls: number;
  errors: number;
}

export interface ModelHourlyTable {
  project_id: string;
  environment: string;
  bucket: number;
  model: string;
  provider: string;
  calls: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
}

/** Log-scale latency histograms per hour (and per day, same shape): `metric` is `response` or `tool`, `key` the tool name. */
export interface LatencyHourlyTable {
  project_id: string;
  environment: string;
  bucket: number;
  metric: string;
  key: string;
  bin: number;
  count: number;
}

/** Which customers were active in which hour / day (granularity `h` or `d`), for distinct counts. */
export interface CustomerActivityTable {
  project_id: string;
  environment: string;
  granularity: string;
  bucket: number;
  customer_id: string;
}

export interface CustomerDailyTable {
  project_id: string;
  day: number;
  customer_id: string;
  conversations: number;
  messages: number;
  tool_calls: number;
  errors: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
}

export interface CustomersTable {
  project_id: string;
  customer_id: string;
  first_seen_at: number;
  last_seen_at: number;
  conversations: number;
  messages: number;
  tool_calls: number;
  errors: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
}

export interface IngestRejectionsTable {
  seq: Generated<number>;
  project_id: string;
  at: number;
  event_id: string | null;
  path: string;
  message: string;
  sample: string | null;
}

export interface ClientReportsTable {
  project_id: string;
  instance_id: string;
  sdk: string;
  version: string | null;
  last_seen_at: number;
  dropped_events: number;
  payloads_truncated: number;
  reasons: string;
}

/** Counts of what the collector changed in stored events (e.g. `text_replaced`), per project. */
export interface IngestCountersTable {
  project_id: string;
  name: string;
  count: number;
  last_at: number;
}

/** Ids of conversations merged into another (`mergeConversation`), per project: alias -> conversation. */
export interface ConversationAliasesTable {
  project_id: string;
  alias_id: string;
  conversation_id: string;
  created_at: number;
}

/** A project's settings (retention, redaction) as JSON (core's projectSettingsSchema). */
export interface ProjectSettingsTable {
  project_id: string;
  settings: string;
  updated_at: number;
}

/** A customer kept for another number of days than their project (migration 0010). */
export interface CustomerRetentionTable {
  project_id: string;
  customer_id: string;
  days: number;
  updated_at: number;
}

/** A project's last expiry run (migration 0010): removed counts as JSON (core's ExpiredRows). */
export interface RetentionRunsTable {
  project_id: string;
  ran_at: number;
  cutoff: number | null;
  /** 1 when the run left nothing past the window. */
  caught_up: number;
  removed: string;
  removed_total: string;
}

/** A dataset (migration 0011): a named, curated list of items. */
export interface DatasetsTable {
  project_id: string;
  id: string;
  name: string;
  description: string | null;
  created_at: number;
  /** Last change to the dataset, its items or its experiments. */
  updated_at: number;
}

/** A dataset item: a conversation's turns as JSON (core's DatasetTurn[]) and where they came from. */
export interface DatasetItemsTable {
  project_id: string;
  dataset_id: string;
  id: string;
  source_conversation_id: string | null;
  turns: string;
  created_at: number;
}

/** An experiment: one replay of a dataset. */
export interface ExperimentsTable {
  project_id: string;
  id: string;
  dataset_id: string;
  name: string;
  agent: string | null;
  agent_version: string | null;
  created_at: number;
}

/** What an experiment made of one dataset item: its conversation and how the replay ended. */
export interface ExperimentItemsTable {
  project_id: string;
  experiment_id: string;
  item_id: string;
  conversation_id: string;
  status: string;
  updated_at: number;
}

export interface Database {
  projects: ProjectsTable;
  api_keys: ApiKeysTable;
  ingested_events: IngestedEventsTable;
  conversations: ConversationsTable & ConversationCurationColumns;
  messages: MessagesTable;
  steps: StepsTable;
  feedback: FeedbackTable;
  rollup_hourly: RollupHourlyTable;
  daily_customers: DailyCustomersTable;
  tool_hourly: ToolHourlyTable;
  model_hourly: ModelHourlyTable;
  latency_hourly: LatencyHourlyTable;
  latency_daily: LatencyHourlyTable;
  customer_activity: CustomerActivityTable;
  customer_daily: CustomerDailyTable;
  customers: CustomersTable;
  ingest_rejections: IngestRejectionsTable;
  client_reports: ClientReportsTable;
  ingest_counters: IngestCountersTable;
  project_settings: ProjectSettingsTable;
  conversation_aliases: ConversationAliasesTable;
  scores: ScoresTable;
  score_hourly: ScoreHourlyTable;
  score_customers: ScoreCustomersTable;
  version_hourly: VersionHourlyTable;
  feedback_hourly: FeedbackHourlyTable;
  customer_retention: CustomerRetentionTable;
  retention_runs: RetentionRunsTable;
  datasets: DatasetsTable;
  dataset_items: DatasetItemsTable;
  experiments: ExperimentsTable;
  experiment_items: ExperimentItemsTable;
}
