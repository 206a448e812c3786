/**
 * Serves files from an absolute directory (node-server's serveStatic only takes paths relative to
 * the working directory): resolves inside the root only, sets content types and caching, and can
 * fall back to `index.html` for single-page apps.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { Context } from 'hono';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticOptions {
  /** Absolute directory to serve. */
  root: string;
  /** URL prefix to strip, e.g. `/docs/assets`. */
  prefix?: string;
  /** Serve `index.html` for paths with no file (SPA routing). */
  spaFallback?: boolean;
  /** Cache-Control for hashed assets. */
  immutable?: boolean;
}

/** Answers with the file under `root` the request path names, or null when there is none. */
export async function serveFile(c: Context, options: StaticOptions): Promise<Response | null> {
  const prefix = options.prefix ?? '';
  let relative: string;
  try {
    relative = decodeURIComponent(c.req.path.slice(prefix.length)).replace(/^\/+/, '');
  } catch {
    return null; // malformed percent-encoding names no file
  }
  if (relative === '') relative = 'index.html';
  const root = normalize(options.root + sep);
  let file = normalize(join(root, relative));
  if (!file.startsWith(root)) return null;
  let info = await stat(file).catch(() => null);
  if (!info?.isFile() && options.spaFallback && !extname(relative)) {
    file = join(root, 'index.html');
    info = await stat(file).catch(() => null);
  }
  if (!info?.isFile()) return null;
  const body = await readFile(file);
  const isHtml = file.endsWith('.html');
  return c.body(body, 200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': isHtml || !options.immutable ? 'no-cache' : 'public, max-age=31536000, immutable',
  });
}
