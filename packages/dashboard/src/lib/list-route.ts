/** The conversations list route last shown (filters and page), so "back" from a conversation returns to it. */
let last = '/conversations';

export function rememberListRoute(href: string): void {
  last = href;
}

export function lastListRoute(): string {
  return last;
}
