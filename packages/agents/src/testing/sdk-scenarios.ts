/**
 * Real SDK runs against a session, for the conformance suite: deterministic scripted models drive a
 * handoff, reasoning, tool calls and a human approval, so the session stores exactly what the SDK
 * produces; and the demo model drives many concurrent runs.
 */

import { assistantMessage, functionCall, ScriptedModel } from '@openai/agents/testing';
import { Agent, type AgentInputItem, handoff, Runner, type Session, tool } from '@openai/agents-core';
import { z } from 'zod';
import { demoModel } from '../demo/demo-model.ts';

const runner = new Runner({ tracingDisabled: true });

/**
 * Two runs on `session`: (1) a triage agent reasons and hands off to a notes agent, which calls a tool
 * and answers; (2) the notes agent asks for approval to delete, is approved, deletes and answers.
 */
export async function runEveryKindScenario(session: Session): Promise<void> {
  const noteTools = [
    tool({
      name: 'create_note',
      description: 'Create a note.',
      parameters: z.object({ title: z.string() }),
      execute: async ({ title }) => `Created note '${title}' with ID 1`,
    }),
    tool({
      name: 'delete_note',
      description: 'Delete a note by id.',
      parameters: z.object({ note_id: z.number() }),
      needsApproval: true,
      execute: async ({ note_id }) => `Deleted note ${note_id}`,
    }),
  ];
  const notesModel = new ScriptedModel([
    [functionCall('create_note', { title: 'Groceries' }, { callId: 'call_create' })],
    [assistantMessage('Created your note.')],
    [functionCall('delete_note', { note_id: 1 }, { callId: 'call_delete' })],
    [assistantMessage('Deleted note 1.')],
  ]);
  const notesAgent = new Agent({
    name: 'NotesAgent',
    instructions: 'Manage notes.',
    model: notesModel,
    tools: noteTools,
  });
  const toNotes = handoff(notesAgent);
  const triageModel = new ScriptedModel([
    [
      {
        type: 'reasoning',
        id: 'rs_triage',
        content: [{ type: 'input_text', text: 'This is about notes; hand off.' }],
      },
      functionCall(toNotes.toolName, {}, { callId: 'call_handoff' }),
    ],
  ]);
  const triage = new Agent({
    name: 'Triage',
    instructions: 'Route.',
    model: triageModel,
    handoffs: [toNotes],
  });

  await runner.run(triage, 'Create a note titled Groceries', { session });
  const pending = await runner.run(notesAgent, 'Delete note 1', { session });
  const approval = pending.interruptions[0];
  if (!approval) throw new Error('scenario expected an approval interruption');
  pending.state.approve(approval);
  await runner.run(notesAgent, pending.state, { session });
}

/** The item kinds `runEveryKindScenario` must leave in the history. */
export const EVERY_KIND_EXPECTED_TYPES = [
  'message',
  'reasoning',
  'function_call',
  'function_call_result',
] as const;

const calculator = tool({
  name: 'calculator',
  description: 'Evaluate arithmetic: adds two numbers.',
  parameters: z.object({ a: z.number(), b: z.number() }),
  execute: async ({ a, b }) => String(a + b),
});

const calculatorAgent = new Agent({
  name: 'Calculator',
  instructions: 'Do arithmetic with the calculator tool.',
  model: demoModel(),
  tools: [calculator],
});

/** Runs the demo-model calculator agent once on `session` with question `what is {n} + 1000?`. */
export async function runCalculatorTurn(session: Session, n: number, signal?: AbortSignal): Promise<void> {
  await runner.run(calculatorAgent, `what is ${n} + 1000?`, { session, ...(signal ? { signal } : {}) });
}

/**
 * Runs the calculator agent on `session` and aborts the run while its tool executes, i.e. between the
 * tool call and the answer. Left alone, the SDK then saves a checkpoint of the turn so far (question,
 * call, result); inside an atomic turn nothing is saved. Rejects with the abort error.
 */
export async function runTurnAbortedInTool(session: Session): Promise<void> {
  const controller = new AbortController();
  const aborting = tool({
    name: 'calculator',
    description: 'Evaluate arithmetic: adds two numbers.',
    parameters: z.object({ a: z.number(), b: z.number() }),
    execute: async ({ a, b }) => {
      controller.abort();
      return String(a + b);
    },
  });
  const agent = calculatorAgent.clone({ tools: [aborting] });
  await runner.run(agent, 'what is 5 + 1000?', { session, signal: controller.signal });
}

/**
 * Checks that `items` holds exactly the calculator turns `0..count-1`, each whole, contiguous and once:
 * user question, function call, its result, answer. Returns a list of problems (empty when fine).
 */
export function checkCalculatorTurns(items: AgentInputItem[], count: number): string[] {
  const problems: string[] = [];
  if (items.length !== count * 4) problems.push(`expected ${count * 4} items, found ${items.length}`);
  const seen = new Set<number>();
  for (let at = 0; at < items.length; at += 4) {
    const [question, call, result, answer] = items.slice(at, at + 4) as Array<Record<string, unknown>>;
    const n = Number(/what is (\d+) \+ 1000/.exec(String(question?.content))?.[1]);
    if (!Number.isInteger(n)) problems.push(`item ${at} is not a question: ${JSON.stringify(question)}`);
    else if (seen.has(n)) problems.push(`turn ${n} appears twice`);
    seen.add(n);
    if (
      call?.type !== 'function_call' ||
      result?.type !== 'function_call_result' ||
      result.callId !== call.callId
    ) {
      problems.push(`turn ${n} is not followed by its tool call and result`);
    }
    const answerText = JSON.stringify(answer?.content ?? '');
    if (answer?.role !== 'assistant' || !answerText.includes(String(n + 1000))) {
      problems.push(`turn ${n} is not followed by its answer (${answerText})`);
    }
  }
  for (let n = 0; n < count; n += 1) if (!seen.has(n)) problems.push(`turn ${n} is missing`);
  return problems;
}
