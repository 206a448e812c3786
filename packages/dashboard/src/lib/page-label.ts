/**
 * What a cursor-paged table says about its rows. The API does not count the matches (a count of
 * every match is a scan of the table on a large project: ~90 ms for 1M conversations in SQLite,
 * ~250 ms with "has errors", more with a search), so the label counts what it knows: the rows before
 * this page when it was reached by paging, and the end when there is no next page.
 */
export function pageLabel(page: {
  /** Rows on the pages before this one, or null when unknown (a shared link to a later page). */
  offset: number | null;
  shown: number;
  hasMore: boolean;
}): string {
  const { offset, shown, hasMore } = page;
  if (offset === null)
    return hasMore ? `${shown} shown · more after these` : `${shown} shown · the last ones`;
  const first = offset + 1;
  const last = offset + shown;
  const range = first === last ? `${first}` : `${first}–${last}`;
  return hasMore ? `${range} of more than ${last}` : `${range} of ${last}`;
}
