/**
 * Hostile requests for what `sightline start` serves next to the collector (@sightline/serve has no
 * OpenAPI document, so its routes are listed here from its README): agents (JSON and SSE runs, the AI
 * SDK transport body, run status, resume, cancel, approvals), OpenAI-compatible chat completions,
 * workflows (start, status, events, answers, cancel) and the MCP endpoint (JSON-RPC).
 */
import { HOSTILE_RAW_TEXTS, type Prng, RawJson, valuesFor } from './hostile-values.ts';
import {
  bodyMutations,
  fieldMutations,
  type JsonRoute,
  jsonRequest,
  keyMutations,
  methodMutations,
  prototypeKeyMutations,
  type Values,
} from './json-mutations.ts';
import type { HostileRequest } from './raw-request.ts';

/** Live objects the served cases aim at: a run waiting for approval, a workflow waiting for an answer. */
export interface ServedState {
  pausedRunId: string;
  approvalId: string;
  workflowRunId: string;
  questionId: string;
}

const SSE = { accept: 'text/event-stream' };
const MCP_ACCEPT = { accept: 'application/json, text/event-stream' };

/** The core values and two more per field: agent runs cost more than a refusal. */
const sampledValues = (prng: Prng) => () => valuesFor(prng, 2);

function rawPathCases(
  label: string,
  method: string,
  template: (raw: string) => string,
  body?: unknown,
): HostileRequest[] {
  return HOSTILE_RAW_TEXTS.map((text) => ({
    label: `${method} ${label} {${text.name}}`,
    method,
    path: template(text.raw),
    key: 'chat' as const,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  }));
}

function jsonRouteCases(route: JsonRoute, base: unknown, prng: Prng, values: Values): HostileRequest[] {
  return [
    jsonRequest(route, base, 'valid'),
    ...fieldMutations(route, base, { values }),
    ...prototypeKeyMutations(route, base),
    ...bodyMutations(route, base, prng),
    ...keyMutations(jsonRequest(route, base, 'valid'), 'read'),
  ];
}

function agentCases(prng: Prng, state: ServedState): HostileRequest[] {
  const out: HostileRequest[] = [];
  out.push({ label: 'GET /agents', method: 'GET', path: '/agents', key: 'chat' });
  out.push(...keyMutations({ label: 'GET /agents', method: 'GET', path: '/agents', key: 'chat' }, 'read'));
  out.push(...rawPathCases('/agents/{name}', 'GET', (raw) => `/agents/${raw}`));
  const run = {
    input: 'what is 12 times 7',
    conversationId: 'served-hostile-run',
    customerId: 'served-customer',
    context: { plan: 'pro' },
  };
  out.push(...rawPathCases('/agents/{name}/runs', 'POST', (raw) => `/agents/${raw}/runs`, run));
  const runs: JsonRoute = {
    method: 'POST',
    path: '/agents/calculator/runs',
    key: 'chat',
    label: 'POST /agents/calculator/runs',
  };
  out.push(...jsonRouteCases(runs, run, prng, sampledValues(prng)));
  const streamed: JsonRoute = { ...runs, headers: SSE, label: `${runs.label} (SSE)` };
  out.push(...fieldMutations(streamed, run, { values: sampledValues(prng) }));
  const transport = {
    id: 'served-hostile-chat',
    messages: [{ id: 'm1', role: 'user', parts: [{ type: 'text', text: 'what is 2 plus 2' }] }],
    trigger: 'submit-message',
  };
  out.push(
    ...fieldMutations({ ...streamed, label: `${runs.label} (AI SDK body)` }, transport, {
      values: sampledValues(prng),
    }),
  );
  for (const [suffix, method] of [
    ['', 'GET'],
    ['/stream', 'GET'],
    ['/cancel', 'POST'],
    ['/approvals', 'POST'],
  ] as const) {
    out.push(
      ...rawPathCases(
        `/agents/calculator/runs/{runId}${suffix}`,
        method,
        (raw) => `/agents/calculator/runs/${raw}${suffix}`,
      ),
    );
  }
  for (const value of ['-1', '1e400', 'abc', '99999999999999999999', '\u00ff', '0x10']) {
    out.push({
      label: `GET stream last-event-id ${value}`,
      method: 'GET',
      path: `/agents/notes/runs/${state.pausedRunId}/stream`,
      key: 'chat',
      headers: { 'last-event-id': value },
    });
  }
  const approvals: JsonRoute = {
    method: 'POST',
    path: `/agents/notes/runs/${state.pausedRunId}/approvals`,
    key: 'chat',
    label: 'POST /agents/notes/runs/{paused}/approvals',
  };
  const decision = {
    approvals: [{ approvalId: state.approvalId, approved: false, message: 'no' }],
    context: { k: 'v' },
  };
  out.push(...jsonRouteCases(approvals, decision, prng, sampledValues(prng)));
  out.push(...methodMutations('/agents/calculator/runs', ['POST'], '/agents/calculator/runs', 'chat'));
  return out;
}

function completionCases(prng: Prng): HostileRequest[] {
  const route: JsonRoute = {
    method: 'POST',
    path: '/v1/chat/completions',
    key: 'chat',
    label: 'POST /v1/chat/completions',
  };
  const base = {
    model: 'calculator',
    messages: [{ role: 'user', content: 'what is 6 times 7' }],
    stream: false,
    stream_options: { include_usage: true },
  };
  return [
    ...jsonRouteCases(route, base, prng, sampledValues(prng)),
    ...fieldMutations(
      { ...route, label: `${route.label} (stream)` },
      { ...base, stream: true },
      { values: sampledValues(prng) },
    ),
    jsonRequest(
      route,
      {
        ...base,
        messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }, { type: 'image_url' }] }],
      },
      'content parts',
    ),
  ];
}

function workflowCases(prng: Prng, state: ServedState): HostileRequest[] {
  const out: HostileRequest[] = [{ label: 'GET /workflows', method: 'GET', path: '/workflows', key: 'chat' }];
  const start = { params: { rounds: 1 }, conversationId: 'served-hostile-workflow' };
  out.push(...rawPathCases('/workflows/{name}/runs', 'POST', (raw) => `/workflows/${raw}/runs`, start));
  out.push(...rawPathCases('/workflows/{name}/ws', 'GET', (raw) => `/workflows/${raw}/ws`));
  const route: JsonRoute = {
    method: 'POST',
    path: '/workflows/student_teacher/runs',
    key: 'chat',
    label: 'POST /workflows/student_teacher/runs',
  };
  out.push(...jsonRouteCases(route, start, prng, sampledValues(prng)));
  const streamed = { ...route, headers: SSE, label: `${route.label} (SSE)` };
  out.push(...fieldMutations(streamed, start, { values: sampledValues(prng) }));
  for (const [suffix, method] of [
    ['', 'GET'],
    ['/events', 'GET'],
    ['/answers', 'POST'],
    ['/cancel', 'POST'],
  ] as const) {
    out.push(
      ...rawPathCases(`/workflows/runs/{id}${suffix}`, method, (raw) => `/workflows/runs/${raw}${suffix}`),
    );
  }
  const answers: JsonRoute = {
    method: 'POST',
    path: `/workflows/runs/${state.workflowRunId}/answers`,
    key: 'chat',
    label: 'POST /workflows/runs/{waiting}/answers',
  };
  // Answers go to a wrong question id first, so the run keeps waiting for the hostile ones after.
  const answer = { questionId: `${state.questionId}-not`, answer: 'the moon' };
  out.push(...jsonRouteCases(answers, answer, prng, sampledValues(prng)));
  out.push(
    ...fieldMutations(
      answers,
      { ...answer, questionId: state.questionId },
      { values: sampledValues(prng) },
    ).filter((r) => r.label.includes(' answer')),
  );
  out.push({
    label: 'GET /workflows/runs/{waiting}/events last-event-id huge',
    method: 'GET',
    path: `/workflows/runs/${state.workflowRunId}/events`,
    key: 'chat',
    headers: { 'last-event-id': '1e400' },
  });
  return out;
}

function mcpCases(prng: Prng): HostileRequest[] {
  const route: JsonRoute = {
    method: 'POST',
    path: '/mcp',
    key: 'chat',
    headers: MCP_ACCEPT,
    label: 'POST /mcp',
  };
  const call = {
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/call',
    params: {
      name: 'create_note',
      arguments: { title: 'hostile', content: 'note' },
      _meta: { conversationId: 'mcp-hostile' },
    },
  };
  const initialize = {
    jsonrpc: '2.0',
    id: 'init',
    method: 'initialize',
    params: {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'hostile', version: '1' },
    },
  };
  const values = sampledValues(prng);
  const out = [
    ...jsonRouteCases(route, call, prng, values),
    ...fieldMutations({ ...route, label: 'POST /mcp initialize' }, initialize, { values }),
    jsonRequest(route, { jsonrpc: '2.0', id: 2, method: 'tools/list' }, 'tools/list'),
    jsonRequest(route, { jsonrpc: '2.0', method: 'notifications/initialized' }, 'notification'),
    jsonRequest(route, [call, initialize], 'batch'),
    jsonRequest(route, [], 'empty batch'),
    jsonRequest(
      route,
      new RawJson(`[${Array(1_000).fill(JSON.stringify(call)).join(',')}]`),
      'batch of 1,000 calls',
    ),
    jsonRequest(
      route,
      { ...call, params: { name: 'delete_note', arguments: { id: 1 } } },
      'tool needing approval',
    ),
    jsonRequest(
      route,
      {
        ...call,
        params: {
          name: 'list_notes',
          arguments: new RawJson(`${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`),
        },
      },
      'deep arguments',
    ),
    { ...jsonRequest(route, call, 'no accept header'), headers: { 'content-type': 'application/json' } },
    {
      ...jsonRequest(route, call, 'accept text/html'),
      headers: { 'content-type': 'application/json', accept: 'text/html' },
    },
  ];
  for (const method of ['GET', 'DELETE', 'PUT', 'PATCH', 'OPTIONS'])
    out.push({ label: `${method} /mcp`, method, path: '/mcp', key: 'chat', headers: MCP_ACCEPT });
  for (const text of HOSTILE_RAW_TEXTS.slice(0, 12))
    out.push({ ...jsonRequest(route, call, `query ${text.name}`), path: `/mcp?x=${text.raw}` });
  return out;
}

/** Every hostile request for the served routes. */
export function servedCases(prng: Prng, state: ServedState): HostileRequest[] {
  return [
    ...agentCases(prng, state),
    ...completionCases(prng),
    ...workflowCases(prng, state),
    ...mcpCases(prng),
  ];
}
