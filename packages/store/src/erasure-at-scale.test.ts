/**
 * Issue 14's acceptance for erasure, on both dialects: a customer with 1,000 conversations erased among
 * others: 10,000 in `npm test` (2-core budget), 100,000 with `SIGHTLINE_ERASURE_OTHERS=100000` (any
 * multiple of 1,000; bench/store/erase-customer.ts times it). In a file of its own so that it runs beside
 * the conformance suites.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { describeCustomerErasureAtScale } from './testing/customer-erasure-at-scale.ts';
import { openRawPostgresStore, openRawSqliteStore, type RawStore } from './testing/raw-store.ts';

const sizes = { others: Number(process.env.SIGHTLINE_ERASURE_OTHERS ?? 10_000), conversations: 1_000 };

for (const [name, open] of [
  ['sqlite', () => openRawSqliteStore({ durability: 'normal' })],
  ['postgres', openRawPostgresStore],
] as const) {
  describe(`store erasure at scale: ${name}`, () => {
    let opened: RawStore;
    beforeAll(async () => {
      opened = await open();
    });
    afterAll(async () => {
      await opened?.close();
    });
    describeCustomerErasureAtScale(() => opened, sizes);
  });
}
