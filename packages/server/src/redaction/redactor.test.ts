import type { ProjectSettings } from '@sightline/core';
import { parseEvents } from '@sightline/store/testing';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { Redactor } from './redactor.ts';

/** A store whose settings reads wait until `release` is called with what they answer. */
function slowStore() {
  const waiting: Array<(settings: ProjectSettings) => void> = [];
  const store = {
    reads: 0,
    getProjectSettings: () => {
      store.reads += 1;
      return new Promise<ProjectSettings>((resolve) => waiting.push(resolve));
    },
    addIngestCounts: async () => undefined,
    recordRejections: async () => undefined,
  };
  return { store, release: (settings: ProjectSettings) => waiting.shift()?.(settings) };
}

const logger = createLogger({ level: 'silent' });
const events = () =>
  parseEvents([
    {
      id: '01933b8e-0000-7000-8000-000000000001',
      type: 'message',
      timestamp: '2026-01-01T12:00:00Z',
      body: { conversationId: 'c', role: 'human', content: 'write to jane@example.com' },
    },
  ]);

describe('Redactor', () => {
  it('with no rule on hands the batch back as it came (no copy), reading settings once per cache time', async () => {
    const { store, release } = slowStore();
    const redactor = new Redactor({ store, logger });
    const batch = events();
    const first = redactor.prepare('p', batch);
    release({});
    expect((await first).events).toBe(batch);
    expect((await redactor.prepare('p', batch)).events).toBe(batch);
    expect(store.reads).toBe(1);
  });

  it('does not cache settings read before an invalidation', async () => {
    const { store, release } = slowStore();
    const redactor = new Redactor({ store, logger });
    const stale = redactor.rulesFor('p'); // a read in flight when the settings change
    redactor.invalidate('p');
    release({});
    expect((await stale).active).toBe(false);
    const fresh = redactor.prepare('p', events());
    release({ redaction: { detectors: ['email'], patterns: [] } });
    expect((await fresh).events[0]?.body).toMatchObject({ content: 'write to [REDACTED:email]' });
    expect(store.reads).toBe(2);
  });
});
