import { afterAll, expect, it, vi } from 'vitest';
import { tracker } from './default-tracker.ts';
import { startFakeCollector } from './testing/fake-collector.ts';

afterAll(() => {
  vi.unstubAllEnvs();
});

it('a flush hook registered early does not create the default tracker: configuration set later applies', async () => {
  const held: string[] = ['from the hook'];
  const remove = tracker.addFlushHook(() => {
    for (const text of held.splice(0)) tracker.conversation('early-hook').trackHumanMessage(text);
  });
  const collector = await startFakeCollector({ apiKey: 'sl_ingest_later' });
  vi.stubEnv('SIGHTLINE_ENDPOINT', collector.url);
  vi.stubEnv('SIGHTLINE_API_KEY', 'sl_ingest_later');
  const summary = await tracker.flush({ timeoutMs: 2000 });
  expect(summary).toMatchObject({ ok: true });
  expect(collector.eventsOf('early-hook').map((event) => event.body.content)).toEqual(['from the hook']);
  remove();
  held.push('after removal');
  await tracker.shutdown({ timeoutMs: 1000 });
  expect(held).toEqual(['after removal']);
  await collector.stop();
});
