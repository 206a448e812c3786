/** Conformance cases of the store suite: a project's settings (retention, redaction). */
import { describe, expect, it } from 'vitest';
import type { Store } from '../store.ts';

/** Registers the project-settings cases; `target` gives the suite's store once set up. */
export function describeProjectSettings(target: () => { store: Store }): void {
  describe('project settings', () => {
    it('starts empty, merges changes field by field, clears a field with null, keeps projects apart', async () => {
      const { store } = target();
      const project = (await store.createProject({ name: 'settings' })).id;
      const other = (await store.createProject({ name: 'settings-other' })).id;
      expect(await store.getProjectSettings(project)).toEqual({});
      expect(await store.updateProjectSettings(project, { retentionDays: 30 })).toEqual({
        retentionDays: 30,
      });
      const redaction = {
        detectors: ['email', 'card'] as const,
        patterns: [{ name: 'ticket', pattern: 'T-\\d+' }],
      };
      expect(
        await store.updateProjectSettings(project, {
          redaction: { ...redaction, detectors: [...redaction.detectors] },
        }),
      ).toEqual({
        retentionDays: 30,
        redaction: { detectors: ['email', 'card'], patterns: [{ name: 'ticket', pattern: 'T-\\d+' }] },
      });
      expect(await store.updateProjectSettings(project, { retentionDays: null })).toEqual({
        redaction: { detectors: ['email', 'card'], patterns: [{ name: 'ticket', pattern: 'T-\\d+' }] },
      });
      expect(await store.getProjectSettings(other)).toEqual({});
    });

    it('refuses settings outside their limits, naming the field, and keeps the old ones', async () => {
      const { store } = target();
      const project = (await store.createProject({ name: 'settings-bad' })).id;
      await store.updateProjectSettings(project, { retentionDays: 7 });
      await expect(store.updateProjectSettings(project, { retentionDays: 0 })).rejects.toThrow(
        /retentionDays/,
      );
      await expect(
        store.updateProjectSettings(project, { unknown: true } as unknown as { retentionDays: number }),
      ).rejects.toThrow(/unknown/);
      expect(await store.getProjectSettings(project)).toEqual({ retentionDays: 7 });
    });
  });
}
