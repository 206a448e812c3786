/**
 * A terminal client of the learning chat, and an example of the WebSocket protocol from JavaScript
 * (Node's global WebSocket, as in a browser):
 *
 *   node examples/learning-chat/src/client.ts [ws://127.0.0.1:3006] [token]
 *
 * It starts a run, prints what the workflow says, and answers each question with a line you type,
 * sending back the question's id.
 */
import { createInterface } from 'node:readline';
import type { WorkflowEvent } from '@sightline/serve';

/** What the server sends: the run's events (with `eventId`), keep-alives, and refusals of our messages. */
type ServerMessage = (WorkflowEvent & { eventId?: number; refused?: boolean }) | { type: 'keep-alive' };

const base = process.argv[2] ?? 'ws://127.0.0.1:3006';
const token = process.argv[3] ?? 'alice-token';
const terminal = createInterface({ input: process.stdin });
const lines = terminal[Symbol.asyncIterator]();

/** Shows `text` and waits for the next line typed (or piped) in. */
async function prompt(text: string): Promise<string> {
  process.stdout.write(`${text} > `);
  const line = await lines.next();
  if (line.done) throw new Error('no more input');
  return line.value.trim();
}

/** Reads the number(s) of the choices picked, until they are valid. */
async function pick(choices: string[], single: boolean): Promise<string | string[]> {
  const menu = choices.map((choice, index) => `  ${index + 1}. ${choice}`).join('\n');
  for (;;) {
    const typed = await prompt(`${menu}\n${single ? 'number' : 'numbers, separated by commas'}`);
    const picked = typed
      .split(',')
      .filter((part) => part.trim() !== '')
      .map((part) => choices[Number(part) - 1]);
    if (picked.every((choice) => choice !== undefined) && (!single || picked.length === 1)) {
      return single ? (picked[0] as string) : (picked as string[]);
    }
    console.log('please type the number of a choice');
  }
}

const socket = new WebSocket(`${base}/workflows/learning_chat/ws?token=${encodeURIComponent(token)}`);
const send = (message: unknown) => socket.send(JSON.stringify(message));

socket.addEventListener('open', () => send({ type: 'start', params: { rounds: 3 } }));
socket.addEventListener('message', (event) => {
  show(JSON.parse(String(event.data))).catch((error: Error) => {
    console.error(`leaving the run: ${error.message}`);
    socket.close();
  });
});

/** Shows one server message, and answers it when it is a question. */
async function show(message: ServerMessage): Promise<void> {
  switch (message.type) {
    case 'message':
      console.log(message.text);
      break;
    case 'ask': {
      const hint = message.suggestions.length > 0 ? ` (e.g. ${message.suggestions.join(', ')})` : '';
      const answer = await prompt(`${message.prompt}${hint}`);
      send({ type: 'answer', questionId: message.questionId, answer });
      break;
    }
    case 'choose': {
      console.log(message.prompt);
      send({
        type: 'answer',
        questionId: message.questionId,
        answer: await pick(message.choices, message.single),
      });
      break;
    }
    case 'completed':
      console.log(`\n${message.result}`);
      break;
    case 'cancelled':
      console.log(`\ncancelled: ${message.reason}`);
      break;
    case 'error':
      console.error(`${message.refused ? 'refused' : 'failed'}: ${message.message}`);
      break;
  }
}
socket.addEventListener('error', () => {
  console.error(`could not talk to ${base} (is the server running? is the token right?)`);
});
socket.addEventListener('close', () => terminal.close());
