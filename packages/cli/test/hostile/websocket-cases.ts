/**
 * Hostile WebSocket traffic for the served workflow (`/workflows/:name/ws`): upgrades with wrong keys
 * and names, garbage frames, hostile start parameters, hostile answers to a waiting question. A server
 * error shows as an `error` message with code `internal`, a 1011 close, or an upgrade answered 5xx.
 */
import WebSocket from 'ws';
import { HOSTILE_STRINGS, HOSTILE_VALUES, jsonText, type Prng } from './hostile-values.ts';

export interface WebSocketReport {
  /** Frames sent plus upgrades tried. */
  sent: number;
  failures: string[];
}

interface Connection {
  ws: WebSocket;
  received: Array<Record<string, unknown>>;
  closed: Promise<number>;
}

function open(url: string): Promise<Connection | { status: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    const received: Array<Record<string, unknown>> = [];
    const closed = new Promise<number>((done) => ws.once('close', (code) => done(code)));
    ws.on('message', (data) => {
      try {
        received.push(JSON.parse(String(data)) as Record<string, unknown>);
      } catch {
        received.push({ type: 'unparsable', data: String(data).slice(0, 200) });
      }
    });
    ws.once('open', () => resolve({ ws, received, closed }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.once('error', () => resolve({ status: 0 }));
  });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function check(label: string, connection: Connection, failures: string[], closeCode?: number): void {
  for (const message of connection.received) {
    if (message.type === 'error' && message.code === 'internal')
      failures.push(
        `WS ${label}: error message with code internal: ${JSON.stringify(message).slice(0, 200)}`,
      );
  }
  if (closeCode === 1011) failures.push(`WS ${label}: closed with 1011 (internal error)`);
}

async function closeAndCheck(label: string, connection: Connection, failures: string[]): Promise<void> {
  if (connection.ws.readyState === WebSocket.OPEN) connection.ws.close(1000);
  const code = await Promise.race([connection.closed, pause(2_000).then(() => -1)]);
  check(label, connection, failures, code);
}

const GARBAGE_FRAMES: ReadonlyArray<[string, string | Uint8Array]> = [
  ['empty', ''],
  ['invalid JSON', '{'],
  ['null', 'null'],
  ['array', '[]'],
  ['string', '"start"'],
  ['number', '42'],
  ['deep arrays', `${'['.repeat(50_000)}${']'.repeat(50_000)}`],
  ['deep objects', `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`],
  ['proto keys', '{"type":"answer","__proto__":{"questionId":"q"},"constructor":{"prototype":{"x":1}}}'],
  ['answer before start', '{"type":"answer","questionId":"q1","answer":"x"}'],
  ['cancel before start', '{"type":"cancel"}'],
  ['resume unknown', '{"type":"resume","runId":"nope","lastEventId":3}'],
  ['resume huge event id', '{"type":"resume","runId":"nope","lastEventId":1e400}'],
  ['keep-alive', '{"type":"keep-alive"}'],
  ['binary', Uint8Array.from([0xff, 0x00, 0xfe, 0x7b])],
  // Last: a server may close the connection on a frame this big.
  ['2 MiB string', `{"type":"start","x":"${'x'.repeat(2 * 1024 * 1024)}"}`],
];

/** Runs the WebSocket cases against `base` (http://host:port) with a project key. */
export async function webSocketCases(base: string, key: string, prng: Prng): Promise<WebSocketReport> {
  const report: WebSocketReport = { sent: 0, failures: [] };
  const ws = base.replace(/^http/, 'ws');
  const upgrades: Array<[string, string]> = [
    ['no key', `${ws}/workflows/student_teacher/ws`],
    ['unknown key', `${ws}/workflows/student_teacher/ws?key=sl_read_nope`],
    ['hostile key', `${ws}/workflows/student_teacher/ws?key=%ED%A0%80%00`],
    ['unknown workflow', `${ws}/workflows/nope/ws?key=${key}`],
    ['malformed name', `${ws}/workflows/%E2%82/ws?key=${key}`],
    ['malformed query', `${ws}/workflows/student_teacher/ws?key=${key}&x=%zz`],
  ];
  for (const [label, url] of upgrades) {
    report.sent += 1;
    const result = await open(url);
    if ('status' in result) {
      if (result.status >= 500) report.failures.push(`WS upgrade ${label}: answered ${result.status}`);
    } else {
      await closeAndCheck(`upgrade ${label}`, result, report.failures);
    }
  }
  const url = `${ws}/workflows/student_teacher/ws?key=${key}`;
  const garbage = await open(url);
  if ('status' in garbage) {
    report.failures.push(`WS open: answered ${garbage.status}`);
    return report;
  }
  for (const [label, frame] of GARBAGE_FRAMES) {
    if (garbage.ws.readyState !== WebSocket.OPEN) break;
    report.sent += 1;
    garbage.ws.send(frame, { binary: typeof frame !== 'string' });
    await pause(5);
    check(`frame ${label}`, garbage, report.failures);
  }
  await pause(100);
  await closeAndCheck('garbage frames', garbage, report.failures);
  const starts = HOSTILE_VALUES.filter(() => prng.int(2) === 0);
  for (const { name, value } of starts) {
    for (const field of ['params', 'conversationId']) {
      const connection = await open(url);
      if ('status' in connection) continue;
      report.sent += 1;
      connection.ws.send(jsonText({ type: 'start', [field]: value }));
      await pause(50);
      await closeAndCheck(`start ${field}=${name}`, connection, report.failures);
    }
  }
  await answerCases(url, report);
  return report;
}

async function answerCases(url: string, report: WebSocketReport): Promise<void> {
  const connection = await open(url);
  if ('status' in connection) return;
  report.sent += 1;
  connection.ws.send(JSON.stringify({ type: 'start', params: { rounds: 1 } }));
  let question: string | undefined;
  for (let i = 0; i < 100 && !question; i++) {
    await pause(20);
    question = connection.received.find((m) => m.type === 'ask')?.questionId as string | undefined;
  }
  if (!question) {
    report.failures.push('WS: the workflow never asked its first question');
  } else {
    for (const { name, value } of HOSTILE_VALUES) {
      if (connection.ws.readyState !== WebSocket.OPEN) break;
      report.sent += 1;
      // Strings go to a wrong question id, so the run keeps waiting for the next hostile answer.
      const questionId = HOSTILE_STRINGS.some((s) => s.name === name) ? `${question}-${name}` : question;
      connection.ws.send(jsonText({ type: 'answer', questionId, answer: value }));
      await pause(5);
    }
    report.sent += 1;
    connection.ws.send(JSON.stringify({ type: 'cancel' }));
    await pause(50);
  }
  await closeAndCheck('answers', connection, report.failures);
}
