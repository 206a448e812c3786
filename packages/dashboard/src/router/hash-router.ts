/**
 * A tiny hash router: the route lives after `#` (`#/conversations?customerId=acme`), so any view,
 * filters included, is a link that can be shared, and the collector only ever serves `/`.
 */
import { useSyncExternalStore } from 'react';

export interface Location {
  /** The path, e.g. `/conversations/abc`. */
  path: string;
  /** Path segments, decoded: `['conversations', 'abc']`. */
  segments: string[];
  query: URLSearchParams;
  /** The whole route (`path?query`), for equality checks and links. */
  href: string;
}

function read(): string {
  const hash = window.location.hash.replace(/^#/, '');
  return hash.startsWith('/') ? hash : '/';
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

const cache = { href: '', location: null as Location | null };

/** Parses a route string into path, segments and query. */
export function parseRoute(href: string): Location {
  const at = href.indexOf('?');
  const path = at === -1 ? href : href.slice(0, at);
  const query = new URLSearchParams(at === -1 ? '' : href.slice(at + 1));
  const segments = path
    .split('/')
    .filter(Boolean)
    .map((part) => {
      try {
        return decodeURIComponent(part);
      } catch {
        return part;
      }
    });
  return { path, segments, query, href };
}

/** The current route; re-renders when it changes. */
export function useLocation(): Location {
  const href = useSyncExternalStore(subscribe, read, () => '/');
  if (cache.href !== href || !cache.location) {
    cache.href = href;
    cache.location = parseRoute(href);
  }
  return cache.location;
}

/** Goes to a route (`/conversations?x=1`); `replace` keeps the history entry (for filter typing). */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (read() === to) return;
  if (options.replace) {
    window.history.replaceState(null, '', `#${to}`);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    window.location.hash = to;
  }
}

/** Builds a route from a path and query values, dropping empty ones. */
export function routeTo(path: string, query: Record<string, string | undefined | null> = {}): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value) search.set(name, value);
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

/** `/conversations/<id>` with the id encoded. */
export function pathOf(...segments: string[]): string {
  return `/${segments.map(encodeURIComponent).join('/')}`;
}
