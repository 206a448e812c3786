import type { AgentInputItem } from '@openai/agents';
import { expect, it } from 'vitest';
import { noSecrets } from './no-secrets-guardrail.ts';

const check = async (input: string | AgentInputItem[]) =>
  (await noSecrets.execute({ input, context: {} as never, agent: {} as never })).tripwireTriggered;

/** A session's history before the new message: a tool call whose id ends in digits that read as a card. */
const history: AgentInputItem[] = [
  { type: 'message', role: 'user', content: 'Create a note titled Groceries: milk and eggs' },
  {
    type: 'function_call',
    callId: 'call_demo_01a24270-826d-75c0-8365-472449268986',
    name: 'create_note',
    status: 'completed',
    arguments: '{"title":"Groceries","content":"milk and eggs"}',
  },
];

it("reads the user's latest message, not the history's tool call ids", async () => {
  expect(await check([...history, { type: 'message', role: 'user', content: 'list my notes' }])).toBe(false);
  expect(
    await check([...history, { type: 'message', role: 'user', content: 'save card 4242 4242 4242 4242' }]),
  ).toBe(true);
  expect(
    await check([
      ...history,
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'my password is hunter2' }] },
    ]),
  ).toBe(true);
  expect(await check('remember: password: swordfish')).toBe(true);
});
