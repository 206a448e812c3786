/**
 * Bad client messages for a workflow WebSocket, by stage of an onboarding run: before it starts, and at
 * each of its questions (an ask, a secret ask, a single choice, several choices). Each must be refused
 * with an `error` message (`refused: true`) while the connection and the run go on.
 */
import { deepJson, MALFORMED_JSON, UNKNOWN_RUN_IDS } from './bad-request-cases.ts';

/** One bad message: what is sent (text, or bytes sent as a binary frame). */
export interface BadMessage {
  label: string;
  data: string | Uint8Array;
}

const json = (label: string, value: unknown): BadMessage => ({ label, data: JSON.stringify(value) });

/** Before `start`: answers, cancels and resumes that have no run to act on, and malformed messages. */
export function beforeStart(otherUsersRun: string): BadMessage[] {
  return [
    json('answer before start', { type: 'answer', questionId: 'q', answer: 'a' }),
    json('answer array before start', { type: 'answer', questionId: 'q', answer: ['a'] }),
    json('cancel before start', { type: 'cancel' }),
    ...UNKNOWN_RUN_IDS.slice(0, 12).map((runId) =>
      json(`resume unknown run ${runId.slice(0, 20)}`, {
        type: 'resume',
        runId: decodeURIComponent(runId.replace('%ZZ', 'ZZ')),
      }),
    ),
    json('resume another user’s run', { type: 'resume', runId: otherUsersRun }),
    ...[-1, 1.5, '3', null, true].map((lastEventId) =>
      json(`resume lastEventId ${JSON.stringify(lastEventId)}`, {
        type: 'resume',
        runId: otherUsersRun,
        lastEventId,
      }),
    ),
    json('resume without runId', { type: 'resume' }),
    json('start with seats 0', { type: 'start', params: { team: 'red', seats: 0 } }),
    json('start without team', { type: 'start', params: {} }),
    json('start with params a string', { type: 'start', params: 'red' }),
    json('start with a numeric conversationId', {
      type: 'start',
      params: { team: 'red' },
      conversationId: 5,
    }),
  ];
}

/** Malformed or mistyped messages, whatever the stage; `questionId` is the open question. */
export function anyStage(questionId: string, runId: string): BadMessage[] {
  const answer = (label: string, fields: Record<string, unknown>) =>
    json(label, { type: 'answer', questionId, answer: 'Ada', ...fields });
  return [
    ...MALFORMED_JSON.map((data) => ({ label: `malformed ${JSON.stringify(data)}`, data })),
    { label: 'binary frame', data: new TextEncoder().encode('{"type":"keep-alive"}') },
    ...['null', '1', '"hi"', 'true', '[]', '[{"type":"keep-alive"}]'].map((data) => ({ label: data, data })),
    ...[
      'shout',
      'START',
      'Answer',
      'answer ',
      '',
      'ping',
      'close',
      '__proto__',
      'constructor',
      'toString',
    ].map((type) => json(`type ${JSON.stringify(type)}`, { type, questionId, answer: 'Ada' })),
    ...[5, null, true, {}, ['answer']].map((type) => json(`type ${JSON.stringify(type)}`, { type })),
    json('no type', { questionId, answer: 'Ada' }),
    ...[5, null, '', 'x'.repeat(101), [], {}, true].map((value) =>
      answer(`questionId ${JSON.stringify(value).slice(0, 20)}`, { questionId: value }),
    ),
    ...[5, null, {}, true, [1], [null], Array(1001).fill('a')].map((value) =>
      answer(`answer ${JSON.stringify(value).slice(0, 20)}`, { answer: value }),
    ),
    json('answer without answer', { type: 'answer', questionId }),
    json('answer without questionId', { type: 'answer', answer: 'Ada' }),
    answer('answer with an extra key', { extra: 1 }),
    answer('answer with answers', { answers: ['Ada'] }),
    ...[
      'made-up',
      `${questionId}x`,
      questionId.slice(0, -1),
      questionId.toUpperCase(),
      runId,
      ` ${questionId}`,
    ].map((id) => answer(`unknown question ${id.slice(0, 20)}`, { questionId: id })),
    {
      label: '__proto__ at the top',
      data: `{"type":"answer","questionId":"${questionId}","answer":"Ada","__proto__":{"x":1}}`,
    },
    { label: '__proto__ in start params', data: '{"type":"start","params":{"__proto__":{"admin":true}}}' },
    { label: '__proto__ deep in params', data: '{"type":"start","params":{"a":[{"b":{"__proto__":1}}]}}' },
    { label: 'params 101 deep', data: `{"type":"start","params":${deepJson(101)}}` },
    { label: 'params 5,000 deep', data: `{"type":"start","params":${deepJson(5000)}}` },
    { label: 'an array 20,000 deep', data: deepJson(20_000, '[', ']') },
    answer('answer of 60,000 characters', { answer: 'x'.repeat(60_000) }),
    answer('answer of 1,001 characters', { answer: 'x'.repeat(1001) }),
    answer('questionId of 60,000 characters', { questionId: 'q'.repeat(60_000) }),
    json('start again', { type: 'start', params: { team: 'red' } }),
    json('start again, no params', { type: 'start' }),
    json('resume while following', { type: 'resume', runId }),
    json('cancel with an extra key', { type: 'cancel', now: true }),
    json('keep-alive with an extra key', { type: 'keep-alive', at: 1 }),
  ];
}

/** At a later question: answers to the questions already answered. */
export function staleAnswers(stale: string[], answers: unknown[]): BadMessage[] {
  return stale.flatMap((questionId) =>
    answers.map((answer) =>
      json(`stale question ${questionId.slice(0, 8)} = ${JSON.stringify(answer)}`, {
        type: 'answer',
        questionId,
        answer,
      }),
    ),
  );
}

/** Answers of the wrong kind for a question (a string for several choices, a choice that is not offered). */
export function wrongAnswers(questionId: string, answers: unknown[]): BadMessage[] {
  return answers.map((answer) =>
    json(`answer ${JSON.stringify(answer).slice(0, 20)}`, { type: 'answer', questionId, answer }),
  );
}
