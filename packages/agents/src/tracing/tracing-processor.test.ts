import {
  Agent,
  getGlobalTraceProvider,
  type InputGuardrail,
  InputGuardrailTripwireTriggered,
  MemorySession,
  type OutputGuardrail,
  OutputGuardrailTripwireTriggered,
  Runner,
  run,
  type Span,
  type SpanData,
  setTraceProcessors,
  type Trace,
  tool,
} from '@openai/agents';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { demoModel } from '../demo/demo-model.ts';
import { withSessionTurn } from '../sessions/session-turn.ts';
import { openSessionDatabase, SqliteSession } from '../sessions/sqlite-session.ts';
import { createRecordingTracker, type RecordingTracker } from '../testing/recording-tracker.ts';
import { inConversation } from './conversation-scope.ts';
import { instrumentAgents, uninstrumentAgents } from './instrument.ts';
import { SightlineTracingProcessor } from './tracing-processor.ts';

function notesAgent() {
  const notes: string[] = [];
  return new Agent({
    name: 'NotesAgent',
    instructions: 'Help users manage notes.',
    model: demoModel(),
    tools: [
      tool({
        name: 'create_note',
        description: 'Create a new note.',
        parameters: z.object({ title: z.string(), content: z.string() }),
        execute: async ({ title }) => {
          notes.push(title);
          return `Created note '${title}' with ID ${notes.length}`;
        },
      }),
      tool({
        name: 'list_notes',
        description: 'List all notes.',
        parameters: z.object({}),
        execute: async () =>
          notes.map((title, index) => `- [${index + 1}] ${title}`).join('\n') || 'No notes found.',
      }),
      tool({
        name: 'delete_note',
        description: 'Delete a note by ID.',
        parameters: z.object({ note_id: z.number() }),
        execute: async ({ note_id }) => {
          if (note_id > notes.length) throw new Error(`note ${note_id} does not exist`);
          return `Deleted note ${note_id}`;
        },
        // The SDK redacts tool errors from traces unless the tool has its own error function.
        errorFunction: (_context, error) => `Could not delete: ${String(error)}`,
      }),
    ],
  });
}

let tracker: RecordingTracker;

describe.each([
  { mode: 'spans mapped after the run (default)', deferred: true },
  { mode: 'spans mapped inside the run', deferred: false },
])('tracing agent runs into Sightline with no tracking code, $mode', ({ deferred }) => {
  beforeEach(() => {
    tracker = createRecordingTracker();
    instrumentAgents(tracker, { deferred });
  });
  afterEach(async () => {
    await uninstrumentAgents();
  });

  it('a notes-agent run becomes one conversation: messages, an llm step per model call, a tool step per tool call, nested', async () => {
    const session = new SqliteSession('user-42', openSessionDatabase(':memory:'));
    const result = await run(notesAgent(), 'Create a note titled Groceries: milk and eggs', { session });

    expect(tracker.conversations.map((c) => c.id)).toEqual(['user-42']);
    expect(tracker.messages.map((m) => [m.role, m.content])).toEqual([
      ['human', 'Create a note titled Groceries: milk and eggs'],
      ['agent', result.finalOutput],
    ]);
    const llm = tracker.stepsOf('user-42', 'llm');
    expect(llm).toHaveLength(2);
    for (const step of llm) {
      expect(step.usage?.model).toBe('sightline-demo');
      expect(step.usage?.inputTokens).toBeGreaterThan(0);
      expect(step.usage?.outputTokens).toBeGreaterThan(0);
      expect(step.usage?.totalTokens).toBe((step.usage?.inputTokens ?? 0) + (step.usage?.outputTokens ?? 0));
      expect(tracker.ancestry(step)).toEqual(['llm', 'turn', 'agent', 'run']);
    }
    const tools = tracker.stepsOf('user-42', 'tool');
    expect(tools).toHaveLength(1);
    expect(tools[0]).toMatchObject({
      name: 'create_note',
      input: { title: 'Groceries', content: 'milk and eggs' },
      output: "Created note 'Groceries' with ID 1",
      toolsUsed: ['create_note'],
      ended: true,
    });
    expect(tracker.ancestry(tools[0]!)).toEqual(['tool', 'turn', 'agent', 'run']);
    expect(tracker.steps.every((step) => step.ended && step.endedAt instanceof Date)).toBe(true);
    expect(tracker.messages[0]?.timestamp?.getTime()).toBeLessThanOrEqual(llm[0]!.startedAt!.getTime());
  });

  it('records a failing tool as a tool step with its error; the run goes on', async () => {
    await withSessionTurn(new MemorySession({ sessionId: 'errors' }), (turn) =>
      run(notesAgent(), 'delete note 7', { session: turn }),
    );
    const [step] = tracker.stepsOf('errors', 'tool');
    expect(step?.name).toBe('delete_note');
    expect(step?.error).toMatchObject({ message: expect.stringContaining('note 7 does not exist') });
    expect(step?.output).toBe('Could not delete: Error: note 7 does not exist');
    expect(tracker.messages.map((m) => m.role)).toEqual(['human', 'agent']);
  });

  it('uses the group id, or the conversation bound with inConversation, as the conversation id', async () => {
    await new Runner({ groupId: 'group-7' }).run(notesAgent(), 'list my notes');
    await inConversation({ conversationId: 'bound-1', customerId: 'cust-1' }, () =>
      run(notesAgent(), 'hello'),
    );
    expect(tracker.conversations.map((c) => [c.id, c.options.customerId])).toEqual([
      ['group-7', undefined],
      ['bound-1', 'cust-1'],
    ]);
    expect(tracker.stepsOf('group-7', 'tool').map((s) => s.name)).toEqual(['list_notes']);
  });

  it('keeps concurrent runs of different sessions apart', async () => {
    const db = openSessionDatabase(':memory:');
    await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        run(notesAgent(), `Create a note titled N${n}: body ${n}`, {
          session: new SqliteSession(`s-${n}`, db),
        }),
      ),
    );
    expect(tracker.conversations).toHaveLength(20);
    for (let n = 0; n < 20; n += 1) {
      const human = tracker.messages.filter((m) => m.conversationId === `s-${n}` && m.role === 'human');
      expect(human.map((m) => m.content)).toEqual([`Create a note titled N${n}: body ${n}`]);
      expect(tracker.stepsOf(`s-${n}`, 'tool').map((s) => s.input)).toEqual([
        { title: `N${n}`, content: `body ${n}` },
      ]);
    }
  });

  it('records guardrails (triggered or not) and handoffs as steps', async () => {
    const blocked: InputGuardrail = {
      name: 'no_secrets',
      execute: async ({ input }) => ({
        tripwireTriggered: JSON.stringify(input).includes('password'),
        outputInfo: { reason: 'asks for a password' },
      }),
    };
    const notes = notesAgent();
    const triage = new Agent({
      name: 'Triage',
      instructions: 'Route to the right agent.',
      model: demoModel(),
      handoffs: [notes],
      inputGuardrails: [blocked],
    });
    await inConversation({ conversationId: 'handoff' }, () =>
      run(triage, 'talk to notesagent: list my notes'),
    );
    const handoff = tracker.stepsOf('handoff', 'handoff');
    expect(handoff.map((s) => [s.name, s.output])).toEqual([
      ['Triage -> NotesAgent', { from: 'Triage', to: 'NotesAgent' }],
    ]);
    expect(tracker.stepsOf('handoff', 'guardrail').map((s) => [s.name, s.output])).toEqual([
      ['no_secrets', { triggered: false }],
    ]);
    expect(tracker.stepsOf('handoff', 'agent').map((s) => s.name)).toEqual(['Triage', 'NotesAgent']);

    const refused = inConversation({ conversationId: 'blocked' }, () => run(triage, 'what is my password?'));
    await expect(refused).rejects.toBeInstanceOf(InputGuardrailTripwireTriggered);
    expect(tracker.stepsOf('blocked', 'guardrail').map((s) => s.output)).toEqual([{ triggered: true }]);
  });

  it('marks the answer of a run an output guardrail blocked: it was not the run’s result', async () => {
    const noLeak: OutputGuardrail = {
      name: 'no_leak',
      execute: async () => ({ tripwireTriggered: true, outputInfo: { reason: 'leaks a note' } }),
    };
    const agent = new Agent({
      name: 'Leaky',
      instructions: 'x',
      model: demoModel(),
      outputGuardrails: [noLeak],
    });
    const refused = inConversation({ conversationId: 'output-blocked' }, () => run(agent, 'what is 2 + 2'));
    await expect(refused).rejects.toBeInstanceOf(OutputGuardrailTripwireTriggered);
    const answer = tracker.messages.find((m) => m.conversationId === 'output-blocked' && m.role === 'agent');
    expect(answer?.metadata?.runError).toMatch(/OutputGuardrailTripwireTriggered.*"reason":"leaks a note"/);
    await inConversation({ conversationId: 'output-fine' }, () => run(notesAgent(), 'list my notes'));
    const fine = tracker.messages.find((m) => m.conversationId === 'output-fine' && m.role === 'agent');
    expect(fine?.metadata).not.toHaveProperty('runError');
  });

  it('replaces the default OpenAI exporter: nothing is sent to OpenAI', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    vi.stubEnv('OPENAI_API_KEY', 'sk-test-not-a-real-key');
    await run(notesAgent(), 'list my notes');
    // With the SDK's default processor in place, this flush POSTs to api.openai.com/v1/traces/ingest.
    await getGlobalTraceProvider().forceFlush();
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(tracker.stepsOf(tracker.conversations[0]!.id, 'llm')).toHaveLength(2);
    vi.unstubAllEnvs();
  });

  it('never throws into a run when the tracker fails', async () => {
    const errors: unknown[] = [];
    const broken = createRecordingTracker();
    broken.conversation = () => {
      throw new Error('tracker down');
    };
    const processor = instrumentAgents(broken, { deferred, onError: (error) => errors.push(error) });
    const result = await new Runner({ groupId: 'g' }).run(notesAgent(), 'list my notes');
    expect(result.finalOutput).toContain('No notes found.');
    expect(processor.stats().errors).toBeGreaterThan(0);
    expect(errors[0]).toBeInstanceOf(Error);
    setTraceProcessors([]);
  });

  it('records a model call with the input from the latest user message on, not the whole history', async () => {
    const session = new MemorySession({ sessionId: 'long' });
    await withSessionTurn(session, (turn) =>
      run(notesAgent(), 'Create a note titled A: first', { session: turn }),
    );
    await withSessionTurn(session, (turn) => run(notesAgent(), 'list my notes', { session: turn }));
    const inputs = tracker
      .stepsOf('long', 'llm')
      .map((step) => step.input as Array<{ role?: string; type?: string }>);
    expect(inputs[2]).toEqual([{ type: 'message', role: 'user', content: 'list my notes' }]);
    expect(inputs[3]?.map((item) => item.type)).toEqual(['message', 'function_call', 'function_call_result']);
  });

  it('nests an agent used as a tool under its tool step, without counting its input as the human', async () => {
    const researcher = new Agent({ name: 'Researcher', instructions: 'Find facts.', model: demoModel() });
    const lead = new Agent({
      name: 'Lead',
      instructions: 'Delegate research.',
      model: demoModel(),
      tools: [
        researcher.asTool({ toolName: 'research', toolDescription: 'Ask the researcher about anything.' }),
      ],
    });
    await inConversation({ conversationId: 'nested' }, () => run(lead, 'please research the moon'));
    const [toolStep] = tracker.stepsOf('nested', 'tool');
    expect(toolStep?.name).toBe('research');
    const inner = tracker.stepsOf('nested', 'agent').find((step) => step.name === 'Researcher');
    expect(inner && tracker.ancestry(inner)).toEqual(['agent', 'run', 'tool', 'turn', 'agent', 'run']);
    expect(tracker.messages.filter((m) => m.role === 'human').map((m) => m.content)).toEqual([
      'please research the moon',
    ]);
    expect(tracker.messages.filter((m) => m.role === 'agent')).toHaveLength(1);
  });

  it('traces a streamed run the same way', async () => {
    const session = new MemorySession({ sessionId: 'streamed' });
    await withSessionTurn(session, async (turn) => {
      const result = await run(notesAgent(), 'Create a note titled S: streamed', {
        session: turn,
        stream: true,
      });
      for await (const _delta of result.toTextStream()) {
        // consume the stream
      }
      await result.completed;
    });
    expect(tracker.messages.map((m) => [m.conversationId, m.role])).toEqual([
      ['streamed', 'human'],
      ['streamed', 'agent'],
    ]);
    expect(tracker.stepsOf('streamed', 'llm')).toHaveLength(2);
    expect(tracker.stepsOf('streamed', 'tool').map((s) => s.name)).toEqual(['create_note']);
    expect(await session.getItems()).toHaveLength(4);
  });
});

describe('mapping spans off the run', () => {
  afterEach(async () => {
    await uninstrumentAgents();
  });

  it('maps nothing inside the run: the spans are mapped when the event loop turns, under the conversation of the run', async () => {
    const recording = createRecordingTracker();
    const seen: string[] = [];
    const counting = {
      ...recording,
      conversation: (id: string) => {
        seen.push(id);
        return recording.conversation(id);
      },
    };
    const processor = instrumentAgents(counting);
    const result = await inConversation({ conversationId: 'later' }, () =>
      run(notesAgent(), 'list my notes'),
    );
    expect(result.finalOutput).toContain('No notes found.');
    expect(seen).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual(['later']);
    expect(processor.stats()).toMatchObject({ traces: 1, messages: 2, errors: 0 });
    expect(recording.stepsOf('later', 'tool').map((step) => step.name)).toEqual(['list_notes']);
  });

  it('maps a span under the conversation of its own run even when its trace was evicted meanwhile', async () => {
    const recording = createRecordingTracker();
    const processor = new SightlineTracingProcessor(recording, { maxOpenTraces: 1 });
    const trace = (traceId: string) => ({ traceId, groupId: null }) as unknown as Trace;
    const span = (traceId: string, spanId: string) =>
      ({
        traceId,
        spanId,
        parentId: null,
        spanData: { type: 'function', name: `tool-of-${traceId}`, input: '{}', output: 'ok' },
        startedAt: new Date().toISOString(),
        endedAt: new Date().toISOString(),
        error: null,
      }) as unknown as Span<SpanData>;
    await inConversation({ conversationId: 'conv-A' }, () => processor.onTraceStart(trace('A')));
    await processor.forceFlush();
    await inConversation({ conversationId: 'conv-B' }, () => processor.onTraceStart(trace('B')));
    const late = span('A', 'a-1');
    await inConversation({ conversationId: 'conv-A' }, async () => {
      await processor.onSpanStart(late);
      await processor.onSpanEnd(late);
    });
    // Mapped in whatever context the flush runs in: here, conv-B's.
    await inConversation({ conversationId: 'conv-B' }, () => processor.forceFlush());
    expect(recording.stepsOf('conv-A').map((step) => [step.name, step.parentId])).toEqual([
      ['tool-of-A', null],
    ]);
    expect(recording.stepsOf('conv-B')).toEqual([]);
    await processor.shutdown();
  });

  it('works again when the SDK put it back after shutting it down (setTraceProcessors replaces and shuts down)', async () => {
    const recording = createRecordingTracker();
    let hooks = 0;
    const counting = {
      ...recording,
      addFlushHook: (hook: () => void) => {
        hooks += 1;
        const remove = recording.addFlushHook?.(hook);
        return () => {
          hooks -= 1;
          remove?.();
        };
      },
    };
    const processor = instrumentAgents(counting);
    expect(hooks).toBe(1);
    setTraceProcessors([]); // the SDK shuts the processor down
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(hooks).toBe(0);
    setTraceProcessors([processor]);
    await inConversation({ conversationId: 'back' }, () => run(notesAgent(), 'list my notes'));
    expect(hooks).toBe(1);
    expect(recording.messages.map((m) => [m.conversationId, m.role])).toEqual([
      ['back', 'human'],
      ['back', 'agent'],
    ]);
  });

  it('hands every queued span to a tracker flush, so a flush right after a run includes the run', async () => {
    const recording = createRecordingTracker();
    const flushed: number[] = [];
    const watching = {
      ...recording,
      flush: async () => {
        await recording.flush?.();
        flushed.push(recording.messages.length);
      },
    };
    instrumentAgents(watching);
    await inConversation({ conversationId: 'flushed' }, () => run(notesAgent(), 'list my notes'));
    await watching.flush();
    expect(flushed).toEqual([2]);
  });
});
