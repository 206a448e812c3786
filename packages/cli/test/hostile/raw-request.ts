/**
 * Sending hostile requests exactly as written: the path goes on the request line untouched (no
 * re-encoding, no normalization), bodies are bytes, and a case may even be raw bytes over a socket.
 * Streams (SSE) are read briefly, then dropped, so an endless stream never stalls the run.
 */
import { Agent, request } from 'node:http';
import { connect } from 'node:net';

/** Which credential a case presents: the route's right key, another scope's, none, or a bad one. */
export type KeyChoice = 'ingest' | 'read' | 'chat' | 'none' | 'unknown' | 'malformed' | 'hostile';

export interface HostileRequest {
  /** What was mutated, for the report. */
  label: string;
  method: string;
  /** Path and query, sent as is (characters U+0021..U+00FF only; node:http refuses others). */
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  key: KeyChoice;
  /**
   * Raw text (Latin-1 bytes) to write on a fresh socket instead of an HTTP request: request-line and
   * framing garbage node:http would refuse to send. `{ingest}` and `{read}` become the keys.
   */
  raw?: string;
}

export interface Outcome {
  status: number;
  /** The first 200 characters of the body (or an error description when no answer came). */
  body: string;
  /** The full body when it is JSON and small enough to parse (for follow-up checks). */
  json?: unknown;
  ms: number;
}

export interface Target {
  host: string;
  port: number;
  keys: { ingest: string; read: string; chat: string };
}

const KEY_VALUES: Record<Exclude<KeyChoice, 'ingest' | 'read' | 'chat' | 'none'>, string> = {
  unknown: 'sl_read_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  malformed: 'Bearer',
  hostile: 'sl_ingest_\u00ff\u00fe%00',
};

const MAX_KEPT_BYTES = 2 * 1024 * 1024;
const STREAM_READ_MS = 300;

/**
 * Sends one request; never rejects (a socket error or timeout is an outcome with status 0). A request
 * whose reused keep-alive socket the server had just closed is sent once more on a fresh one.
 */
export async function send(
  target: Target,
  agent: Agent,
  req: HostileRequest,
  // A hang, not a slow answer: a 10,000-span OTLP batch (the limit) into PostgreSQL took over 20 s once
  // with the machine's two cores shared by ~13 runnable processes.
  timeoutMs = 60_000,
): Promise<Outcome> {
  if (req.raw !== undefined) {
    const text = req.raw.replaceAll('{ingest}', target.keys.ingest).replaceAll('{read}', target.keys.read);
    return sendRaw(target, Buffer.from(text, 'latin1'), timeoutMs);
  }
  const first = await sendOnce(target, agent, req, timeoutMs);
  return first.staleSocket ? (await sendOnce(target, agent, req, timeoutMs)).outcome : first.outcome;
}

function sendOnce(
  target: Target,
  agent: Agent,
  req: HostileRequest,
  timeoutMs: number,
): Promise<{ outcome: Outcome; staleSocket: boolean }> {
  const started = performance.now();
  const headers: Record<string, string> = { ...req.headers };
  if (req.key === 'ingest' || req.key === 'read' || req.key === 'chat')
    headers.authorization = `Bearer ${target.keys[req.key]}`;
  else if (req.key !== 'none') headers.authorization = `Bearer ${KEY_VALUES[req.key]}`;
  const body = typeof req.body === 'string' ? Buffer.from(req.body, 'utf8') : req.body;
  if (body) headers['content-length'] = String(body.byteLength);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: Omit<Outcome, 'ms'>, staleSocket = false) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ outcome: { ...outcome, ms: Math.round(performance.now() - started) }, staleSocket });
    };
    const timer = setTimeout(() => {
      finish({ status: 0, body: `no answer within ${timeoutMs} ms` });
      outgoing.destroy();
    }, timeoutMs);
    const outgoing = request(
      { host: target.host, port: target.port, method: req.method, path: req.path, headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const streaming = (res.headers['content-type'] ?? '').includes('text/event-stream');
        const done = () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const outcome: Omit<Outcome, 'ms'> = { status: res.statusCode ?? 0, body: text.slice(0, 200) };
          if ((res.headers['content-type'] ?? '').includes('json') && size < MAX_KEPT_BYTES) {
            try {
              outcome.json = JSON.parse(text);
            } catch {
              // Not JSON after all: the first 200 characters are in the report.
            }
          }
          finish(outcome);
        };
        if (streaming) {
          setTimeout(() => {
            done();
            res.destroy();
          }, STREAM_READ_MS);
        }
        res.on('data', (chunk: Buffer) => {
          size += chunk.byteLength;
          if (size <= MAX_KEPT_BYTES) chunks.push(chunk);
        });
        res.on('end', done);
        res.on('error', done);
        res.on('close', done);
      },
    );
    outgoing.on('error', (error) => {
      const stale = outgoing.reusedSocket && (error as NodeJS.ErrnoException).code === 'ECONNRESET';
      finish({ status: 0, body: `request failed: ${error.message}` }, stale);
    });
    outgoing.end(body);
  });
}

/** Writes raw bytes on a new connection and reads the status line of whatever answers. */
function sendRaw(target: Target, bytes: Uint8Array, timeoutMs: number): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect({ host: target.host, port: target.port });
    let text = '';
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
      const body =
        status === 0 ? `no status line: ${JSON.stringify(text.slice(0, 150))}` : text.slice(0, 200);
      resolve({ status, body, ms: Math.round(performance.now() - started) });
    };
    const timer = setTimeout(finish, Math.min(timeoutMs, 3_000));
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (/\r\n\r\n/.test(text)) finish();
    });
    socket.on('error', finish);
    socket.on('close', finish);
    socket.write(bytes);
  });
}

/** A keep-alive agent shared by a run's requests. */
export function createAgent(maxSockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets });
}

const BODY = '{"events":[]}';

/** Complete HTTP/1.1 messages with broken request lines, headers and framing: each must get an answer. */
export function rawSocketCases(): HostileRequest[] {
  const get = (line: string, headers = 'Host: h\r\n') => `${line}\r\n${headers}Connection: close\r\n\r\n`;
  const post = (headers: string, body: string) =>
    `POST /v1/ingest HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer {ingest}\r\nContent-Type: application/json\r\n${headers}Connection: close\r\n\r\n${body}`;
  const cases: Array<[string, string]> = [
    ['NUL in the path', get('GET /v1/conversations/a\u0000b HTTP/1.1')],
    ['control bytes in the path', get('GET /v1/conversations/\u0001\u007f HTTP/1.1')],
    ['raw UTF-8 surrogate bytes in the path', get('GET /v1/conversations/\u00ed\u00a0\u0080 HTTP/1.1')],
    ['raw 0xFF in the query', get('GET /v1/conversations?search=\u00ff\u00fe HTTP/1.1')],
    ['HTTP/9.9', get('GET /healthz HTTP/9.9')],
    ['no version', get('GET /healthz')],
    ['lowercase method', get('get /healthz HTTP/1.1')],
    ['unknown method', get('BREW /healthz HTTP/1.1')],
    ['HTTP/1.0 without Host', get('GET /v1/project HTTP/1.0', '')],
    ['HTTP/1.1 without Host', get('GET /v1/project HTTP/1.1', '')],
    ['hostile Host', get('GET /v1/project HTTP/1.1', 'Host: a b\u00ff\r\n')],
    ['Host with a path', get('GET /v1/project HTTP/1.1', 'Host: h/evil?x#y\r\n')],
    ['Host with a bad port', get('GET /v1/project HTTP/1.1', 'Host: h:99999\r\n')],
    ['Host an open bracket', get('GET /v1/project HTTP/1.1', 'Host: [::1\r\n')],
    ['two Host headers', get('GET /v1/project HTTP/1.1', 'Host: a\r\nHost: b\r\n')],
    ['invalid absolute-form', get('GET http://[::1/v1/project HTTP/1.1')],
    ['backslashes in the path', get('GET /v1\\conversations HTTP/1.1')],
    ['NUL in a header', get('GET /healthz HTTP/1.1', 'Host: h\r\nX-A: a\u0000b\r\n')],
    ['obsolete line folding', get('GET /healthz HTTP/1.1', 'Host: h\r\nX-A: a\r\n b\r\n')],
    ['header without colon', get('GET /healthz HTTP/1.1', 'Host: h\r\nnot a header\r\n')],
    ['20 KiB header', get('GET /healthz HTTP/1.1', `Host: h\r\nX-Big: ${'b'.repeat(20_000)}\r\n`)],
    ['bad chunk size', post('Transfer-Encoding: chunked\r\n', 'zz\r\n{}\r\n0\r\n\r\n')],
    ['chunk longer than said', post('Transfer-Encoding: chunked\r\n', `2\r\n${BODY}\r\n0\r\n\r\n`)],
    [
      'valid chunked body',
      post('Transfer-Encoding: chunked\r\n', `${BODY.length.toString(16)}\r\n${BODY}\r\n0\r\n\r\n`),
    ],
    [
      'chunked and Content-Length',
      post(
        `Transfer-Encoding: chunked\r\nContent-Length: ${BODY.length}\r\n`,
        `${BODY.length.toString(16)}\r\n${BODY}\r\n0\r\n\r\n`,
      ),
    ],
    ['two Content-Lengths', post(`Content-Length: ${BODY.length}\r\nContent-Length: 1\r\n`, BODY)],
    ['negative Content-Length', post('Content-Length: -1\r\n', BODY)],
    ['Content-Length not a number', post('Content-Length: 1e3\r\n', BODY)],
    ['Content-Length shorter than the body', post('Content-Length: 5\r\n', BODY)],
    [
      'Transfer-Encoding gzip, chunked',
      post('Transfer-Encoding: gzip, chunked\r\n', `${BODY.length.toString(16)}\r\n${BODY}\r\n0\r\n\r\n`),
    ],
  ];
  return cases.map(([label, raw]) => ({
    label: `RAW socket ${label}`,
    method: 'RAW',
    path: '(socket)',
    key: 'none',
    raw,
  }));
}
