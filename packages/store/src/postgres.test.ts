import { createTestPostgresStore } from './testing/postgres-fixture.ts';
import { describeStoreSuite } from './testing/store-suite.ts';

describeStoreSuite('postgres', async () => {
  const { store, pool, drop } = await createTestPostgresStore();
  return {
    store,
    exec: (statement) => pool.query(statement),
    query: async (statement) => (await pool.query(statement)).rows,
    cleanup: drop,
  };
});
