/**
 * Conformance cases of the store suite: what people set on a conversation (a name, a mark), which
 * ingest never overwrites and the list filters by.
 */
import { isSightlineError } from '@sightline/core';
import { describe, expect, it } from 'vitest';
import type { Store } from '../store.ts';
import { conversationEvent, messageEvent, parseEvents } from './events.ts';

const T0 = Date.UTC(2026, 3, 7, 9, 0, 0);

/** Registers the rename / mark cases; `target` gives the suite's store once set up. */
export function describeConversationCuration(target: () => { store: Store }): void {
  describe('conversation rename and mark', () => {
    it('renames over the tracked name (which ingest keeps updating underneath) and back with null', async () => {
      const { store } = target();
      const project = (await store.createProject({ name: 'curation' })).id;
      const ctx = { conversationId: 'named', customerId: 'c1' };
      await store.append(project, parseEvents([conversationEvent(ctx, { at: T0, name: 'tracked' })]));
      expect(await store.updateConversation(project, 'named', { name: '  Refund for Ada  ' })).toMatchObject({
        id: 'named',
        name: 'Refund for Ada',
        marked: false,
      });
      await store.append(
        project,
        parseEvents([conversationEvent(ctx, { at: T0 + 1, name: 'tracked again' })]),
      );
      expect((await store.getConversation(project, 'named'))?.conversation.name).toBe('Refund for Ada');
      expect((await store.listConversations(project, { limit: 5 })).data[0]?.name).toBe('Refund for Ada');
      expect((await store.updateConversation(project, 'named', { name: null }))?.name).toBe('tracked again');
    });

    it('marks and unmarks; the list filters by mark', async () => {
      const { store } = target();
      const project = (await store.createProject({ name: 'marks' })).id;
      for (const [i, id] of ['a', 'b', 'c'].entries())
        await store.append(
          project,
          parseEvents([messageEvent({ conversationId: id }, { role: 'human', content: id, at: T0 + i })]),
        );
      expect((await store.updateConversation(project, 'b', { marked: true }))?.marked).toBe(true);
      await store.updateConversation(project, 'c', { marked: true, name: 'important' });
      const ids = async (marked?: boolean) =>
        (
          await store.listConversations(project, { limit: 10, ...(marked === undefined ? {} : { marked }) })
        ).data.map((c) => c.id);
      expect(await ids(true)).toEqual(['c', 'b']);
      expect(await ids(false)).toEqual(['a']);
      expect(await ids()).toEqual(['c', 'b', 'a']);
      await store.updateConversation(project, 'b', { marked: false });
      expect(await ids(true)).toEqual(['c']);
      expect((await store.getConversation(project, 'c'))?.conversation).toMatchObject({
        marked: true,
        name: 'important',
      });
    });

    it('answers null for a conversation the project does not have, and refuses invalid changes', async () => {
      const { store } = target();
      const project = (await store.createProject({ name: 'curation-errors' })).id;
      expect(await store.updateConversation(project, 'nobody', { marked: true })).toBeNull();
      const invalid = [{}, { name: '' }, { name: 'a\u0000b' }, { name: 'x'.repeat(513) }, { marked: 'yes' }];
      for (const patch of invalid) {
        const error = await store
          .updateConversation(project, 'nobody', patch as never)
          .catch((e: unknown) => e);
        expect(isSightlineError(error) && error.code).toBe('invalid_request');
      }
    });
  });
}
