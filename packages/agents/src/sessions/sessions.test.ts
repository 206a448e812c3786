import { MemorySession } from '@openai/agents';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createTestSchema, type TestSchema } from '../../test/postgres-schema.ts';
import { describeSessionConformance } from '../testing/index.ts';
import { PostgresSession } from './postgres-session.ts';
import { closeSessionDatabases, openSessionDatabase, SqliteSession } from './sqlite-session.ts';

describeSessionConformance(
  { describe, it },
  {
    name: 'MemorySession (the SDK reference)',
    createSession: (sessionId) => new MemorySession({ sessionId }),
    sharedStore: false,
  },
);

const sqlite = openSessionDatabase(':memory:');
afterAll(() => {
  sqlite.close();
  closeSessionDatabases();
});

describeSessionConformance(
  { describe, it },
  {
    name: 'SqliteSession',
    createSession: (sessionId, options) => new SqliteSession(sessionId, sqlite, options),
    users: true,
    validatesItems: true,
  },
);

let postgres: TestSchema;
beforeAll(async () => {
  postgres = await createTestSchema('sessions');
});
afterAll(async () => {
  await postgres.drop();
});

describeSessionConformance(
  { describe, it },
  {
    name: 'PostgresSession',
    createSession: (sessionId, options) => new PostgresSession(sessionId, postgres.pool, options),
    users: true,
    validatesItems: true,
  },
);
