/**
 * Agents run inside a workflow (seed 004's student and teacher) are part of the workflow's run step: with
 * `instrumentAgents`, their llm and tool steps nest under it, and their prompts and answers are not
 * recorded as the person's conversation messages (only what the workflow says, asks and is answered).
 */
import { Agent, run, tool } from '@openai/agents';
import { demoModel, instrumentAgents, uninstrumentAgents } from '@sightline/agents';
import { createTracker, type Tracker } from '@sightline/tracker';
import { FakeCollector } from '@sightline/tracker/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineWorkflow } from './workflow.ts';
import { serveWorkflows, type WorkflowsRouter } from './workflow-routes.ts';

const collector = new FakeCollector();
let tracker: Tracker;
let router: WorkflowsRouter;

const calculator = new Agent({
  name: 'calculator',
  instructions: 'Use the calculate tool.',
  model: demoModel(),
  tools: [
    tool({
      name: 'calculate',
      description: 'Evaluate an arithmetic expression.',
      parameters: z.object({ expression: z.string() }),
      execute: async () => '42',
    }),
  ],
});

const quiz = defineWorkflow({
  name: 'quiz',
  description: 'Asks for a sum and has an agent compute it.',
  run: async (io) => {
    const sum = await io.ask({ prompt: 'Which sum?' });
    const result = await run(calculator, `what is ${sum}`);
    io.say(`The agent says: ${String(result.finalOutput)}`);
    return 'done';
  },
});

beforeAll(async () => {
  const endpoint = await collector.start();
  tracker = createTracker({ endpoint, apiKey: 'sl_ingest_test', flushIntervalMs: 50, exitHooks: false });
  instrumentAgents(tracker);
  router = serveWorkflows({ workflows: [quiz], tracker });
});
afterAll(async () => {
  await router.close();
  await uninstrumentAgents();
  await tracker.shutdown();
  await collector.stop();
});

describe('agents inside a workflow', () => {
  it('nest their steps under the workflow run step and add no messages of their own', async () => {
    const workflowRun = router.workflowRuns.start({ name: 'quiz', params: {}, user: undefined, userId: '' });
    await expect.poll(() => workflowRun.openQuestions.length).toBe(1);
    workflowRun.answer(workflowRun.openQuestions[0] ?? '', '6 * 7');
    await workflowRun.done;
    expect(workflowRun.status).toBe('completed');
    expect((await tracker.flush()).failed).toBe(0);

    const events = collector.eventsOf(workflowRun.conversationId);
    const messages = events.filter((event) => event.type === 'message');
    expect(messages.map((event) => [event.body.role, event.body.content])).toEqual([
      ['agent', 'Which sum?'],
      ['human', '6 * 7'],
      ['agent', expect.stringMatching(/^The agent says: .*42/)],
      ['agent', 'done'],
    ]);
    const steps = new Map<string, { type: unknown; name: unknown; parentId: unknown }>();
    for (const event of events.filter((e) => e.type === 'step')) {
      const body = event.body as unknown as {
        stepId: string;
        type: unknown;
        name: unknown;
        parentId?: unknown;
      };
      steps.set(body.stepId, { ...steps.get(body.stepId), ...body } as never);
    }
    const runStep = [...steps.entries()].find(([, step]) => step.name === 'workflow:quiz');
    expect(runStep).toBeDefined();
    const rootOf = (id: string): string => {
      const parent = steps.get(id)?.parentId;
      return typeof parent === 'string' && steps.has(parent) ? rootOf(parent) : id;
    };
    const llm = [...steps.entries()].filter(([, step]) => step.type === 'llm');
    const tools = [...steps.entries()].filter(([, step]) => step.type === 'tool');
    expect(llm.length).toBeGreaterThanOrEqual(2);
    expect(tools).toHaveLength(1);
    for (const [id] of [...llm, ...tools]) expect(rootOf(id)).toBe(runStep?.[0]);
  });
});
