/**
 * The columns of a conversation's messages, steps and feedback that the rollups count (see
 * rollup-footprint.ts), and reading them for one conversation.
 */
import type { Kysely } from 'kysely';
import type { Database, FeedbackTable, MessagesTable, StepsTable } from '../schema.ts';

export type CountedMessage = Pick<MessagesTable, 'role' | 'timestamp'>;
export type CountedFeedback = Pick<FeedbackTable, 'sentiment' | 'timestamp' | 'source'>;
export type CountedStep = Pick<
  StepsTable,
  | 'type'
  | 'name'
  | 'started_at'
  | 'duration_ms'
  | 'error'
  | 'model'
  | 'provider'
  | 'input_tokens'
  | 'output_tokens'
  | 'cost_usd'
  | 'finished'
  | 'agent_version'
>;

export interface CountedRows {
  messages: CountedMessage[];
  /** Finished steps only: an open step counted nothing yet. */
  steps: CountedStep[];
  feedback: CountedFeedback[];
}

/** What one conversation's rows counted in the rollups, read in three queries. */
export async function readCountedRows(
  db: Kysely<Database>,
  conversation: { projectId: string; id: string },
): Promise<CountedRows> {
  const { projectId, id } = conversation;
  const messages = await db
    .selectFrom('messages')
    .select(['role', 'timestamp'])
    .where('project_id', '=', projectId)
    .where('conversation_id', '=', id)
    .execute();
  const steps = await db
    .selectFrom('steps')
    .select([
      'type',
      'name',
      'started_at',
      'duration_ms',
      'error',
      'model',
      'provider',
      'input_tokens',
      'output_tokens',
      'cost_usd',
      'finished',
      'agent_version',
    ])
    .where('project_id', '=', projectId)
    .where('conversation_id', '=', id)
    .where('finished', '=', 1)
    .execute();
  const feedback = await db
    .selectFrom('feedback')
    .select(['sentiment', 'timestamp', 'source'])
    .where('project_id', '=', projectId)
    .where('conversation_id', '=', id)
    .execute();
  return { messages, steps, feedback };
}
