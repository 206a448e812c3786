import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import { SightlineError, ValidationError } from '../errors.ts';
import { errorHandler, notFoundHandler } from './error-handler.ts';
import { HTTP_STATUS } from './http-status.ts';

function appThrowing(error: unknown, reported: unknown[]) {
  const app = new Hono();
  app.onError(
    errorHandler({
      report: (thrown) => reported.push(thrown),
      headers: (status) => (status === 401 ? { 'www-authenticate': 'Bearer' } : undefined),
    }),
  );
  app.notFound(notFoundHandler());
  app.get('/boom', () => {
    throw error;
  });
  return app;
}

describe('errorHandler', () => {
  it('answers each code with its status and the error body, reporting only 5xx but 503', async () => {
    for (const [code, status] of Object.entries(HTTP_STATUS)) {
      const reported: unknown[] = [];
      const error = new SightlineError(code as keyof typeof HTTP_STATUS, `went ${code}`);
      const response = await appThrowing(error, reported).request('/boom');
      expect(response.status, code).toBe(status);
      expect(await response.json()).toEqual({ error: { code, message: `went ${code}` } });
      expect(reported.length, code).toBe(status >= 500 && status !== 503 ? 1 : 0);
      expect(response.headers.get('retry-after')).toBe(status === 503 ? '1' : null);
      expect(response.headers.get('www-authenticate')).toBe(status === 401 ? 'Bearer' : null);
    }
  });

  it('keeps the issues of a validation error', async () => {
    const response = await appThrowing(
      new ValidationError([{ path: 'a.b', message: 'is wrong' }]),
      [],
    ).request('/boom');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        code: 'invalid_request',
        message: 'a.b: is wrong',
        issues: [{ path: 'a.b', message: 'is wrong' }],
      },
    });
  });

  it("maps Hono's HTTPException to its status and a code", async () => {
    const tooBig = await appThrowing(new HTTPException(413, { message: 'too big' }), []).request('/boom');
    expect(tooBig.status).toBe(413);
    expect(await tooBig.json()).toEqual({ error: { code: 'payload_too_large', message: 'too big' } });
    const teapot = await appThrowing(new HTTPException(418), []).request('/boom');
    expect(teapot.status).toBe(400);
  });

  it('answers a bug with a 500 that says nothing of it, and reports it', async () => {
    const reported: unknown[] = [];
    const bug = new TypeError('secret internals');
    const response = await appThrowing(bug, reported).request('/boom');
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: { code: 'internal', message: 'internal server error' } });
    expect(reported).toEqual([bug]);
  });

  it('answers an unknown route with a JSON 404 naming it', async () => {
    const response = await appThrowing(undefined, []).request('/nowhere', { method: 'DELETE' });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { code: 'not_found', message: 'no route for DELETE /nowhere' },
    });
  });
});
