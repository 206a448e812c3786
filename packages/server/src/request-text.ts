/**
 * The boundary rule for text in request lines (see core's well-formed-text.ts): a path or query
 * parameter with malformed percent-encoding, U+0000 or a lone surrogate names nothing that can be
 * stored, so it is refused with a 400 naming the parameter before any route or database sees it.
 */
import { hasUnstorableText } from '@sightline/core';
import type { MiddlewareHandler } from 'hono';
import { ServerError } from './errors.ts';

function refuse(path: string, message: string): never {
  throw new ServerError('invalid_request', `${path}: ${message}`, { issues: [{ path, message }] });
}

/** Refuses request lines whose decoded path or query holds text no store can hold. */
export function requestTextGuard(): MiddlewareHandler {
  return async (c, next) => {
    const url = new URL(c.req.url);
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      refuse('path', 'has malformed percent-encoding');
    }
    if (hasUnstorableText(path)) refuse('path', 'must not contain U+0000 or lone UTF-16 surrogates');
    for (const [name, value] of url.searchParams) {
      if (hasUnstorableText(name) || hasUnstorableText(value))
        refuse(`query.${name.toWellFormed()}`, 'must not contain U+0000 or lone UTF-16 surrogates');
    }
    await next();
  };
}
