import { describe, expect, it } from 'vitest';
import { scoreFilterIssues } from './evaluation-query.ts';
import { parseIngestRequest } from './ingest.ts';
import { LIMITS } from './limits.ts';

const ID = '01933b8e-0000-7000-8000-000000000001';
const score = (body: Record<string, unknown>) => ({
  id: ID,
  type: 'score',
  timestamp: '2026-01-01T12:00:00Z',
  body: { conversationId: 'c1', name: 'helpfulness', value: 0.5, ...body },
});
const issuesOf = (body: Record<string, unknown>) =>
  parseIngestRequest({ events: [score(body)] }).rejected[0]?.issues ?? [];

describe('score events', () => {
  it('accepts numeric, boolean and categorical scores; source defaults to code', () => {
    const { events, rejected } = parseIngestRequest({
      events: [
        score({}),
        {
          ...score({ value: true, source: 'human', messageId: 'm1', comment: 'nice' }),
          id: `${ID.slice(0, -1)}2`,
        },
        { ...score({ value: 'billing', dataType: 'categorical', stepId: 's1' }), id: `${ID.slice(0, -1)}3` },
      ],
    });
    expect(rejected).toEqual([]);
    expect(events.map((event) => event.type === 'score' && [event.body.value, event.body.source])).toEqual([
      [0.5, 'code'],
      [true, 'human'],
      ['billing', 'code'],
    ]);
  });

  it('names the field of each problem', () => {
    expect(issuesOf({ dataType: 'numeric', value: 'good' })).toEqual([
      { path: 'events.0.body.value', message: 'must be a number for dataType numeric (got a string)' },
    ]);
    expect(issuesOf({ messageId: 'm', stepId: 's' })).toEqual([
      { path: 'events.0.body.stepId', message: 'give messageId or stepId, not both' },
    ]);
    expect(issuesOf({ name: '' })[0]?.path).toBe('events.0.body.name');
    expect(issuesOf({ name: 'x'.repeat(LIMITS.maxScoreNameLength + 1) })[0]?.message).toBe(
      `must be at most ${LIMITS.maxScoreNameLength} characters`,
    );
    expect(issuesOf({ name: 'bad\nname' })[0]?.message).toBe('must not contain control characters');
    expect(issuesOf({ value: 1e13 })[0]?.path).toBe('events.0.body.value');
    expect(issuesOf({ value: 'x'.repeat(LIMITS.maxScoreCategoryLength + 1) })[0]?.path).toBe(
      'events.0.body.value',
    );
    expect(issuesOf({ source: 'customer' })[0]?.path).toBe('events.0.body.source');
    expect(issuesOf({ comment: 'x'.repeat(LIMITS.maxCommentLength + 1) })[0]?.path).toBe(
      'events.0.body.comment',
    );
    expect(issuesOf({ agentVersion: '' })[0]?.path).toBe('events.0.body.agentVersion');
  });

  it('needs a score name for the other score filters', () => {
    expect(scoreFilterIssues({ scoreMin: 1 })).toEqual([{ path: 'scoreMin', message: 'needs scoreName' }]);
    expect(scoreFilterIssues({ scoreName: 'x', scoreValue: 'a', scoreMax: 1 })).toEqual([
      { path: 'scoreValue', message: 'give scoreValue or scoreMin/scoreMax, not both' },
    ]);
    expect(scoreFilterIssues({ scoreName: 'x', scoreMin: 2, scoreMax: 1 })).toEqual([
      { path: 'scoreMin', message: 'must not be above scoreMax' },
    ]);
    expect(scoreFilterIssues({ scoreName: 'x', scoreMin: 0, scoreSource: 'human' })).toEqual([]);
  });
});
