/**
 * Conformance cases of the store suite: datasets (created by a unique name, listed newest first, read
 * by id or name, deleted with everything in them), items taken from conversations once each (their
 * turns as core's turnsOf takes them; the rest skipped with the reason), experiments and their items
 * (upserted), erasure taking out items sourced from an erased conversation, experiment items
 * pointing at one and the replays of the items that went, retention leaving dataset items, and
 * hostile text refused by field or stored as U+FFFD, never raw.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../store.ts';
import { type EventContext, messageEvent, parseEvents } from './events.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);

/** A conversation of `turns` question/answer pairs (an answer may be missing). */
async function converse(
  store: Store,
  projectId: string,
  ctx: EventContext & { turns: Array<[string, string | null]>; at?: number },
): Promise<void> {
  const { turns, at = T0, ...context } = ctx;
  const events = turns.flatMap(([human, agent], i) => [
    messageEvent(context, { role: 'human', content: human, at: at + i * 1_000 }),
    ...(agent === null
      ? []
      : [messageEvent(context, { role: 'agent', content: agent, at: at + i * 1_000 + 500 })]),
  ]);
  await store.append(projectId, parseEvents(events));
}

/** Registers the dataset cases; `target` gives the suite's store. */
export function describeDatasets(target: () => { store: Store }): void {
  describe('datasets and experiments', () => {
    let project: string;
    let other: string;

    beforeAll(async () => {
      const { store } = target();
      project = (await store.createProject({ name: 'datasets' })).id;
      other = (await store.createProject({ name: 'datasets-other' })).id;
      await converse(store, project, {
        conversationId: 'ds-a',
        customerId: 'ds-cust-a',
        turns: [
          ['first?', 'one'],
          ['second?', null],
        ],
      });
      await converse(store, project, {
        conversationId: 'ds-b',
        customerId: 'ds-cust-b',
        turns: [['hello', 'hi']],
      });
      await store.append(
        project,
        parseEvents([
          messageEvent({ conversationId: 'ds-agent-only' }, { role: 'agent', content: 'welcome', at: T0 }),
        ]),
      );
    });

    it('creates datasets with unique names, lists them newest first, reads one by id or name', async () => {
      const { store } = target();
      const first = await store.createDataset(project, { name: 'regressions', description: 'known bad' });
      expect(first).toMatchObject({
        name: 'regressions',
        description: 'known bad',
        itemCount: 0,
        experimentCount: 0,
      });
      const second = await store.createDataset(project, { name: '  smoke  ' });
      expect(second).toMatchObject({ name: 'smoke', description: null });
      await expect(store.createDataset(project, { name: 'regressions' })).rejects.toMatchObject({
        code: 'conflict',
        issues: [{ path: 'name' }],
      });
      expect((await store.listDatasets(project)).map((d) => d.name)).toEqual(['smoke', 'regressions']);
      expect(await store.listDatasets(other)).toEqual([]);
      expect((await store.getDataset(project, first.id))?.dataset).toEqual(first);
      expect((await store.getDataset(project, 'smoke'))?.dataset.id).toBe(second.id);
      expect(await store.getDataset(other, first.id)).toBeNull();
      expect(await store.getDataset(project, 'nope')).toBeNull();
      // Another project may use the same name.
      expect((await store.createDataset(other, { name: 'regressions' })).name).toBe('regressions');
    });

    it('adds conversations once each, as their turns, and says why it skipped the rest', async () => {
      const { store } = target();
      const dataset = await store.createDataset(project, { name: 'turns' });
      const added = await store.addDatasetItems(project, {
        dataset: 'turns',
        conversationIds: ['ds-a', 'ds-missing', 'ds-agent-only', 'ds-b', 'ds-a'],
      });
      expect(added?.added.map((item) => [item.sourceConversationId, item.turns])).toEqual([
        [
          'ds-a',
          [
            { human: 'first?', expected: 'one' },
            { human: 'second?', expected: null },
          ],
        ],
        ['ds-b', [{ human: 'hello', expected: 'hi' }]],
      ]);
      expect(added?.added[0]).toMatchObject({ datasetId: dataset.id });
      expect(added?.skipped).toEqual([
        { conversationId: 'ds-missing', reason: 'not_found' },
        { conversationId: 'ds-agent-only', reason: 'no_human_turn' },
      ]);
      const again = await store.addDatasetItems(project, {
        dataset: dataset.id,
        conversationIds: ['ds-b', 'ds-a'],
      });
      expect(again).toEqual({
        added: [],
        skipped: [
          { conversationId: 'ds-b', reason: 'already_in_dataset' },
          { conversationId: 'ds-a', reason: 'already_in_dataset' },
        ],
      });
      const detail = await store.getDataset(project, dataset.id);
      expect(detail?.dataset.itemCount).toBe(2);
      expect(detail?.items).toEqual(added?.added);
      // Another project's conversations are not found; an unknown dataset is null.
      expect(
        await store.addDatasetItems(other, { dataset: 'regressions', conversationIds: ['ds-a'] }),
      ).toEqual({
        added: [],
        skipped: [{ conversationId: 'ds-a', reason: 'not_found' }],
      });
      expect(await store.addDatasetItems(project, { dataset: 'nope', conversationIds: ['ds-a'] })).toBeNull();
    });

    it('records experiments and upserts their items; deleting an item or a dataset takes them along', async () => {
      const { store } = target();
      const dataset = await store.createDataset(project, { name: 'experiments' });
      const { added } = (await store.addDatasetItems(project, {
        dataset: dataset.id,
        conversationIds: ['ds-a', 'ds-b'],
      })) ?? { added: [] };
      const [itemA, itemB] = added;
      if (!itemA || !itemB) throw new Error('items not added');
      await converse(store, project, { conversationId: 'ds-replay-a', turns: [['first?', 'uno']] });
      await converse(store, project, { conversationId: 'ds-replay-b', turns: [['hello', 'hey']] });

      const experiment = await store.createExperiment(project, {
        datasetId: 'experiments',
        name: 'v2',
        agent: 'notes',
        agentVersion: 'v2-abc',
      });
      expect(experiment).toMatchObject({
        datasetId: dataset.id,
        agent: 'notes',
        agentVersion: 'v2-abc',
        itemCount: 0,
      });
      await expect(
        store.createExperiment(project, { datasetId: dataset.id, name: 'v2' }),
      ).rejects.toMatchObject({
        code: 'conflict',
        issues: [{ path: 'name' }],
      });
      await expect(store.createExperiment(project, { datasetId: 'nope', name: 'v2' })).rejects.toMatchObject({
        code: 'not_found',
        issues: [{ path: 'datasetId' }],
      });
      const put = (itemId: string, conversationId: string, status: string) =>
        store.putExperimentItem(project, { experimentId: experiment.id, itemId, conversationId, status });
      await put(itemA.id, 'ds-replay-b', 'turn 1: awaiting_approval');
      expect(await put(itemA.id, 'ds-replay-a', 'completed')).toEqual({
        itemId: itemA.id,
        conversationId: 'ds-replay-a',
        status: 'completed',
      });
      await put(itemB.id, 'ds-replay-b', 'completed');
      await expect(put('no-item', 'ds-replay-a', 'completed')).rejects.toMatchObject({
        code: 'not_found',
        issues: [{ path: 'itemId' }],
      });
      await expect(put(itemA.id, 'no-conversation', 'completed')).rejects.toMatchObject({
        code: 'not_found',
        issues: [{ path: 'conversationId' }],
      });
      const read = await store.getExperiment(project, experiment.id);
      expect(read?.experiment.itemCount).toBe(2);
      expect(read?.items).toEqual([
        { itemId: itemA.id, conversationId: 'ds-replay-a', status: 'completed' },
        { itemId: itemB.id, conversationId: 'ds-replay-b', status: 'completed' },
      ]);
      expect(await store.getExperiment(other, experiment.id)).toBeNull();
      expect((await store.getDataset(project, dataset.id))?.experiments).toEqual([read?.experiment]);

      expect(await store.deleteDatasetItem(project, { dataset: dataset.id, itemId: itemB.id })).toBe(true);
      expect(await store.deleteDatasetItem(project, { dataset: dataset.id, itemId: itemB.id })).toBe(false);
      expect((await store.getExperiment(project, experiment.id))?.items.map((i) => i.itemId)).toEqual([
        itemA.id,
      ]);

      expect(await store.deleteDataset(project, 'experiments')).toEqual({ items: 1, experiments: 1 });
      expect(await store.deleteDataset(project, dataset.id)).toBeNull();
      expect(await store.getExperiment(project, experiment.id)).toBeNull();
      // The conversations themselves stay.
      expect(await store.hasConversation(project, 'ds-replay-a')).toBe(true);
    });

    it('erasure takes out items sourced from the erased conversations and experiment items pointing at them', async () => {
      const { store } = target();
      const projectId = (await store.createProject({ name: 'dataset-erasure' })).id;
      await converse(store, projectId, {
        conversationId: 'src-1',
        customerId: 'gone',
        turns: [['q1', 'a1']],
      });
      await converse(store, projectId, {
        conversationId: 'src-2',
        customerId: 'gone',
        turns: [['q2', 'a2']],
      });
      await converse(store, projectId, {
        conversationId: 'src-3',
        customerId: 'stays',
        turns: [['q3', 'a3']],
      });
      await converse(store, projectId, { conversationId: 'rep-1', turns: [['q1', 'b1']] });
      await converse(store, projectId, { conversationId: 'rep-3', turns: [['q3', 'b3']] });
      const dataset = await store.createDataset(projectId, { name: 'd' });
      const { added } = (await store.addDatasetItems(projectId, {
        dataset: dataset.id,
        conversationIds: ['src-1', 'src-2', 'src-3'],
      })) ?? { added: [] };
      const experiment = await store.createExperiment(projectId, { datasetId: dataset.id, name: 'e' });
      const [one, , three] = added;
      if (!one || !three) throw new Error('items not added');
      for (const [item, conversationId] of [
        [one.id, 'rep-1'],
        [three.id, 'rep-3'],
      ] as const)
        await store.putExperimentItem(projectId, {
          experimentId: experiment.id,
          itemId: item,
          conversationId,
          status: 'completed',
        });

      const replay = await store.eraseConversation(projectId, 'rep-3');
      expect(replay.datasets).toEqual({ datasetItems: 0, experimentItems: 1, replayConversations: 0 });
      // Erased by its own id, a replay conversation is the target, not a replay erased with one.
      expect(replay.replayConversationIds).toEqual([]);
      expect((await store.getDataset(projectId, dataset.id))?.items).toHaveLength(3);

      const customer = await store.eraseCustomer(projectId, 'gone');
      // rep-1 replayed src-1's turns: it goes too (replay-erasure.ts has the full measure).
      expect(customer.datasets).toEqual({ datasetItems: 2, experimentItems: 1, replayConversations: 1 });
      expect(customer.conversationIds).toEqual(['src-1', 'src-2', 'rep-1']);
      expect(customer.replayConversationIds).toEqual(['rep-1']);
      expect(await store.hasConversation(projectId, 'rep-1')).toBe(false);
      const left = await store.getDataset(projectId, dataset.id);
      expect(left?.items.map((item) => item.sourceConversationId)).toEqual(['src-3']);
      expect((await store.getExperiment(projectId, experiment.id))?.items).toEqual([]);
      // Idempotent: again, nothing.
      expect((await store.eraseCustomer(projectId, 'gone')).datasets).toEqual({
        datasetItems: 0,
        experimentItems: 0,
        replayConversations: 0,
      });
      expect((await store.eraseConversation(projectId, 'src-3')).datasets).toEqual({
        datasetItems: 1,
        experimentItems: 0,
        replayConversations: 0,
      });
      expect((await store.getDataset(projectId, dataset.id))?.dataset.itemCount).toBe(0);
    });

    it('retention expires conversations but keeps the dataset items taken from them', async () => {
      const { store } = target();
      const projectId = (await store.createProject({ name: 'dataset-retention' })).id;
      await converse(store, projectId, { conversationId: 'old', turns: [['old question', 'old answer']] });
      const dataset = await store.createDataset(projectId, { name: 'kept' });
      await store.addDatasetItems(projectId, { dataset: dataset.id, conversationIds: ['old'] });
      await store.updateProjectSettings(projectId, { retentionDays: 1 });
      const run = await store.expireData(projectId, { now: T0 + 10 * DAY });
      expect(run.removed.conversations).toBe(1);
      expect(await store.hasConversation(projectId, 'old')).toBe(false);
      const kept = await store.getDataset(projectId, dataset.id);
      expect(kept?.items.map((item) => [item.sourceConversationId, item.turns])).toEqual([
        ['old', [{ human: 'old question', expected: 'old answer' }]],
      ]);
    });

    it('refuses unstorable or out-of-limit text naming the field, and keeps stored text well-formed', async () => {
      const { store } = target();
      const refused: Array<[() => Promise<unknown>, string]> = [
        [() => store.createDataset(project, { name: 'a\u0000b' }), 'name'],
        [() => store.createDataset(project, { name: 'lone \uD800' }), 'name'],
        [() => store.createDataset(project, { name: '   ' }), 'name'],
        [() => store.createDataset(project, { name: 'x'.repeat(201) }), 'name'],
        [() => store.createDataset(project, { name: 'ok', description: 'd\uDC00' }), 'description'],
        [
          () => store.addDatasetItems(project, { dataset: 'turns', conversationIds: ['a\u0000'] }),
          'conversationIds.0',
        ],
        [
          () => store.addDatasetItems(project, { dataset: 'turns', conversationIds: ['ok', '\uD800'] }),
          'conversationIds.1',
        ],
        [() => store.createExperiment(project, { datasetId: 'turns', name: 'e\u0000' }), 'name'],
        [() => store.createExperiment(project, { datasetId: 'turns', name: 'e', agent: '\uD800' }), 'agent'],
      ];
      for (const [call, path] of refused)
        await expect(call(), path).rejects.toMatchObject({ code: 'invalid_request', issues: [{ path }] });
      const experiment = await store.createExperiment(project, { datasetId: 'turns', name: 'hostile' });
      const item = (await store.getDataset(project, 'turns'))?.items[0];
      if (!item) throw new Error('no item');
      await expect(
        store.putExperimentItem(project, {
          experimentId: experiment.id,
          itemId: item.id,
          conversationId: 'ds-a',
          status: 'bad\u0000',
        }),
      ).rejects.toMatchObject({ code: 'invalid_request', issues: [{ path: 'status' }] });
      expect((await store.listDatasets(project)).map((d) => d.name)).not.toContain('ok');

      await converse(store, project, {
        conversationId: 'ds-hostile',
        turns: [['a\u0000b\uD800', 'c\uDC00']],
      });
      await store.createDataset(project, { name: 'hostile' });
      const added = await store.addDatasetItems(project, {
        dataset: 'hostile',
        conversationIds: ['ds-hostile'],
      });
      expect(added?.added[0]?.turns).toEqual([{ human: 'a\uFFFDb\uFFFD', expected: 'c\uFFFD' }]);
    });
  });
}
