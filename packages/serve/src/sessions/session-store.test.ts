import { describeSessionStoreConformance } from '@sightline/agents/testing';
import { describe, it } from 'vitest';
import { memorySessions } from './session-store.ts';

// The same suite sqliteSessions and postgresSessions pass in @sightline/agents (sessions/session-stores.test.ts).
describeSessionStoreConformance(
  { describe, it },
  { name: 'memorySessions', createStore: () => memorySessions() },
);
