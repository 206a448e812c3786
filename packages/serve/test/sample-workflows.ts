/** Workflows for the serve tests: one that uses every kind of question, one that fails, one that waits. */
import { z } from 'zod';
import { defineWorkflow } from '../src/workflows/workflow.ts';

/** Onboarding: a message, a question with suggestions, a secret, one choice, several choices. */
export const onboarding = defineWorkflow({
  name: 'onboarding',
  description: 'Signs a person up to a team.',
  params: z.object({
    team: z.string().min(1, 'must not be empty'),
    seats: z.number().int().min(1).max(50).default(1),
  }),
  run: async (io, { team, seats }) => {
    io.say(`Welcome to ${team} (${seats} seat${seats === 1 ? '' : 's'}).`);
    const name = await io.ask({ prompt: 'What is your name?', suggestions: ['Ada', 'Grace'] });
    const pin = await io.ask({ prompt: 'Choose a PIN', password: true });
    const plan = await io.choose({ prompt: 'Which plan?', choices: ['free', 'pro'] });
    const extras = await io.choose({
      prompt: 'Which extras?',
      choices: ['sso', 'audit', 'support'],
      single: false,
    });
    io.say(`Thanks ${name}, your PIN has ${pin.length} digits.`);
    return `${name} joined ${team} on ${plan} with ${extras.join('+') || 'no extras'}`;
  },
});

/** Says one thing, then throws an error whose message must not reach the client. */
export const failing = defineWorkflow({
  name: 'failing',
  description: 'Always fails.',
  run: async (io) => {
    io.say('Starting, then failing.');
    throw new Error('connection to db://admin:s3cret@10.0.0.5 refused');
  },
});

/** What `waiting` saw of its abort signal (for the cancel tests). */
export const waitingState = { aborted: 0 };

/** Asks one question and waits; records when its signal aborts. */
export const waiting = defineWorkflow({
  name: 'waiting',
  description: 'Waits for an answer.',
  run: async (io) => {
    io.signal.addEventListener('abort', () => {
      waitingState.aborted += 1;
    });
    const answer = await io.ask({ prompt: 'Anything to say?' });
    return `you said ${answer}`;
  },
});
