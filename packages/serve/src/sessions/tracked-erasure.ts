/**
 * Erasing what serving keeps of a tracked (dashboard) conversation or of a customer, when the collector
 * erases them: a tracked conversation is some user's conversation (`alice:chat-1` is user `alice`'s
 * `chat-1`, or `alice:<id>` as is; an anonymous conversation keeps its plain id; tracked-conversation.ts),
 * so its sessions, paused runs and runs are those of the user's conversations that track as it. A
 * customer of a served run is its user, so erasing a customer erases everything of that user.
 *
 * Replays: the collector also erases the conversations `sightline replay` made from dataset items taken
 * from an erased conversation (they hold the erased person's turns); each is a tracked conversation of
 * the served user who ran the replay, so its served data goes as when that tracked id is erased.
 */
import type { ServedDataEraser, ServedErasureCounts } from '@sightline/agents';
import { trackedConversationId, userNamespace } from './tracked-conversation.ts';

/** What was erased: a tracked conversation, or a customer (a served user). */
export interface ServedErasureTarget {
  kind: 'conversation' | 'customer';
  id: string;
  /** Tracked ids of the replay conversations the collector erased with it (none: no replays). */
  replayConversationIds?: readonly string[] | undefined;
}

/**
 * Erases the served data of a tracked conversation or a customer, and of the replay conversations
 * erased with it; returns the rows removed.
 */
export async function eraseServedData(
  eraser: ServedDataEraser,
  target: ServedErasureTarget,
): Promise<ServedErasureCounts> {
  const counts =
    target.kind === 'customer'
      ? { ...(await eraser.eraseUser(target.id)) }
      : await eraseTrackedConversation(eraser, target.id);
  for (const replay of new Set(target.replayConversationIds ?? [])) {
    if (target.kind === 'conversation' && replay === target.id) continue;
    addCounts(counts, await eraseTrackedConversation(eraser, replay));
  }
  return counts;
}

/** Erases the served data of the users' conversations that track as `trackedId`. */
async function eraseTrackedConversation(
  eraser: ServedDataEraser,
  trackedId: string,
): Promise<ServedErasureCounts> {
  const counts: ServedErasureCounts = { sessions: 0, sessionItems: 0, pausedRuns: 0, runs: 0, runEvents: 0 };
  for (const userId of await candidateUsers(eraser, trackedId)) {
    const owned =
      userId === '' && !trackedId.startsWith('#')
        ? [trackedId]
        : (await eraser.conversationsOf(userId)).filter(
            (id) => trackedConversationId(userId, id) === trackedId,
          );
    addCounts(counts, await eraser.eraseConversations(userId, owned));
  }
  return counts;
}

function addCounts(counts: ServedErasureCounts, more: ServedErasureCounts): void {
  for (const key of Object.keys(counts) as Array<keyof ServedErasureCounts>) counts[key] += more[key];
}

/**
 * The users whose conversations may track as `trackedId`: the anonymous user, and the user its
 * namespace (before the first `:`) names: read back from its escapes, or, when the namespace is a
 * digest of a long user id, found among the users with served data.
 */
async function candidateUsers(eraser: ServedDataEraser, trackedId: string): Promise<string[]> {
  const colon = trackedId.indexOf(':');
  if (colon < 0) return [''];
  const namespace = trackedId.slice(0, colon + 1);
  if (!namespace.startsWith('#')) {
    const userId = namespace
      .slice(0, -1)
      .replace(/%([0-9a-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    return userNamespace(userId) === namespace ? ['', userId] : [''];
  }
  const users = (await eraser.users()).filter((user) => user !== '' && userNamespace(user) === namespace);
  return ['', ...users];
}
