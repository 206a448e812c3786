/**
 * Checking the answers to bad requests: each must be its expected 4xx, a JSON error with a code and a
 * non-empty message that names the field at fault (shared by the agent, workflow and MCP bad-request tests).
 */
import type { BadRequest } from './bad-request-cases.ts';

/** The error body's message and issues as one line. */
export function errorText(body: {
  error?: { message?: string; issues?: Array<{ path: string; message: string }> };
}): string {
  const error = body.error ?? {};
  return [error.message, ...(error.issues ?? []).map((issue) => `${issue.path}: ${issue.message}`)].join(
    ' | ',
  );
}

/** What is wrong with the answer to a bad request ('' when it is right). */
export async function problemWith(request: BadRequest, response: Response): Promise<string> {
  const where = `${request.method} ${request.path.slice(0, 60)} [${request.label}]`;
  const type = response.headers.get('content-type') ?? '';
  const text = await response.text();
  if (response.status !== request.status)
    return `${where}: ${response.status} instead of ${request.status}: ${text.slice(0, 200)}`;
  if (!type.startsWith('application/json')) return `${where}: content-type ${type}: ${text.slice(0, 100)}`;
  const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
  if (typeof body.error?.code !== 'string') return `${where}: no error code: ${text.slice(0, 200)}`;
  if (typeof body.error.message !== 'string' || body.error.message.trim() === '')
    return `${where}: empty message`;
  if (request.names && !errorText(body).includes(request.names)) {
    return `${where}: the error does not name ${request.names}: ${errorText(body).slice(0, 200)}`;
  }
  return '';
}

/** Sends each request in turn; the problems found (none when every answer is right). */
export async function check(
  cases: BadRequest[],
  send: (request: BadRequest) => Promise<Response>,
): Promise<string[]> {
  const problems: string[] = [];
  for (const request of cases) {
    const problem = await problemWith(request, await send(request));
    if (problem) problems.push(problem);
  }
  return problems;
}

/** Sends a bad request to a Hono app in process. */
export function sendTo(app: {
  request(path: string, init: RequestInit): Response | Promise<Response>;
}): (request: BadRequest) => Promise<Response> {
  return (request) =>
    Promise.resolve(
      app.request(request.path, {
        method: request.method,
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
      }),
    );
}

/** What makes a request different from another (cases of a route must all differ). */
export function signature(request: BadRequest): string {
  return JSON.stringify([request.method, request.path, request.headers, request.body]);
}
