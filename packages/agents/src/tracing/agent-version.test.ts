import { Agent, run, tool } from '@openai/agents';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { demoModel } from '../demo/demo-model.ts';
import { createRecordingTracker, type RecordingTracker } from '../testing/recording-tracker.ts';
import { agentFingerprint, agentVersionOf } from './agent-version.ts';
import { inConversation } from './conversation-scope.ts';
import { instrumentAgents, uninstrumentAgents } from './instrument.ts';

interface AgentShape {
  instructions?: string | (() => string);
  model?: string;
  temperature?: number;
  noteSchema?: z.ZodObject;
  toolOrder?: 'ab' | 'ba';
  name?: string;
}

function agentOf(shape: AgentShape = {}): Agent {
  const create = tool({
    name: 'create_note',
    description: 'Create a note.',
    parameters: shape.noteSchema ?? z.object({ title: z.string() }),
    execute: async () => 'ok',
  });
  const list = tool({
    name: 'list_notes',
    description: 'List notes.',
    parameters: z.object({}),
    execute: async () => 'none',
  });
  return new Agent({
    name: shape.name ?? 'NotesAgent',
    instructions: shape.instructions ?? 'Help users manage notes.',
    model: shape.model ?? 'gpt-4.1-mini',
    modelSettings: { temperature: shape.temperature ?? 0.2 },
    tools: shape.toolOrder === 'ba' ? [list, create] : [create, list],
  });
}

describe('agent version fingerprint', () => {
  it('is the same for the same configuration (separately built, tools in any order), short and hex', () => {
    const version = agentVersionOf(agentOf());
    expect(version).toMatch(/^[0-9a-f]{12}$/);
    expect(agentVersionOf(agentOf({ toolOrder: 'ba' }))).toBe(version);
  });

  it('changes with the instructions, a tool schema, the model, the model settings', () => {
    const base = agentFingerprint(agentOf());
    const changed = [
      agentOf({ instructions: 'Help users manage notes. Be brief.' }),
      agentOf({ noteSchema: z.object({ title: z.string(), body: z.string() }) }),
      agentOf({ model: 'gpt-4.1' }),
      agentOf({ temperature: 0.7 }),
    ].map(agentFingerprint);
    for (const version of changed) expect(version).not.toBe(base);
    expect(new Set(changed).size).toBe(changed.length);
  });

  it('hashes function instructions by their source text', () => {
    const a = agentFingerprint(agentOf({ instructions: () => 'Be kind.' }));
    expect(agentFingerprint(agentOf({ instructions: () => 'Be kind.' }))).toBe(a);
    expect(agentFingerprint(agentOf({ instructions: () => 'Be brief.' }))).not.toBe(a);
  });

  it("covers handoffs' versions, cycles included", () => {
    const billing = agentOf({ name: 'Billing' });
    const triage = new Agent({ name: 'Triage', instructions: 'Route.', handoffs: [billing] });
    const before = agentFingerprint(triage);
    billing.instructions = 'Handle refunds only.';
    expect(agentFingerprint(triage)).not.toBe(before);
    billing.handoffs = [triage];
    expect(agentFingerprint(triage)).toMatch(/^[0-9a-f]{12}$/);
  });

  it('puts a label in front of the fingerprint: label:fingerprint, per agent when a function', () => {
    const agent = agentOf();
    const hash = agentFingerprint(agent);
    expect(agentVersionOf(agent, 'v2')).toBe(`v2:${hash}`);
    expect(agentVersionOf(agent, (a) => (a.name === 'NotesAgent' ? 'notes-7' : undefined))).toBe(
      `notes-7:${hash}`,
    );
    expect(agentVersionOf(agent, () => undefined)).toBe(hash);
    expect(agentVersionOf(agent, 'release 2')).toBe(`release2:${hash}`);
  });
});

describe('runs stamped with their agent version', () => {
  let tracker: RecordingTracker;
  afterEach(async () => {
    await uninstrumentAgents();
  });

  describe.each([{ deferred: true }, { deferred: false }])('deferred: $deferred', ({ deferred }) => {
    beforeEach(() => {
      tracker = createRecordingTracker();
      instrumentAgents(tracker, { deferred, version: 'v2' });
    });

    it('every message and step of a run carries the version of the agent it started', async () => {
      const agent = new Agent({ name: 'Calc', instructions: 'Compute.', model: demoModel() });
      const other = new Agent({ name: 'Calc', instructions: 'Compute carefully.', model: demoModel() });
      await inConversation({ conversationId: 'c-1' }, () => run(agent, 'what is 2 + 3?'));
      await inConversation({ conversationId: 'c-2' }, () => run(other, 'what is 2 + 3?'));
      const first = agentVersionOf(agent, 'v2');
      const second = agentVersionOf(other, 'v2');
      expect(first).not.toBe(second);
      for (const [id, version] of [
        ['c-1', first],
        ['c-2', second],
      ] as const) {
        const messages = tracker.messages.filter((m) => m.conversationId === id);
        const steps = tracker.stepsOf(id);
        expect(messages.map((m) => m.role)).toEqual(['human', 'agent']);
        expect(steps.length).toBeGreaterThan(2);
        const early = deferred ? [] : steps.filter((step) => step.agentVersion === undefined);
        // Mapped inside the run, the steps opened before the SDK starts the agent (the run's task, agent
        // and first turn spans) are tracked before its version is known; everything after carries it.
        expect(early.map((step) => step.type).sort()).toEqual(deferred ? [] : ['agent', 'run', 'turn']);
        const later = [...messages, ...steps.filter((step) => !early.includes(step))];
        expect(new Set(later.map((event) => event.agentVersion))).toEqual(new Set([version]));
      }
    });
  });

  it('stops wrapping the SDK once nothing listens', async () => {
    const proto = Agent.prototype as unknown as Record<string, unknown>;
    tracker = createRecordingTracker();
    instrumentAgents(tracker);
    expect(Object.hasOwn(proto, 'emit')).toBe(true);
    await uninstrumentAgents();
    expect(Object.hasOwn(proto, 'emit')).toBe(false);
  });
});
