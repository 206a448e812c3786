/** Time ranges the views offer (presets relative to now, or a custom from/to) and metric buckets. */

export const RANGE_PRESETS = [
  { id: '1h', label: 'Last hour', ms: 3_600_000 },
  { id: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { id: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { id: '30d', label: 'Last 30 days', ms: 30 * 86_400_000 },
  { id: '90d', label: 'Last 90 days', ms: 90 * 86_400_000 },
] as const;

export type RangePreset = (typeof RANGE_PRESETS)[number]['id'];

/** A chosen range: a preset, "all" (no bounds), or custom ISO bounds. */
export interface TimeRange {
  preset: RangePreset | 'all' | 'custom';
  from?: string;
  to?: string;
}

export function isPreset(value: string | null | undefined): value is RangePreset {
  return RANGE_PRESETS.some((preset) => preset.id === value);
}

/** Reads `range`, `from`, `to` from a route query; `fallback` when none is given. */
export function rangeFromQuery(query: URLSearchParams, fallback: TimeRange['preset']): TimeRange {
  const from = query.get('from') ?? undefined;
  const to = query.get('to') ?? undefined;
  if (from || to) return { preset: 'custom', ...(from ? { from } : {}), ...(to ? { to } : {}) };
  const preset = query.get('range');
  if (preset === 'all' || isPreset(preset)) return { preset };
  return { preset: fallback };
}

/** The route query values of a range (empty for the page default). */
export function rangeToQuery(
  range: TimeRange,
  fallback: TimeRange['preset'],
): Record<string, string | undefined> {
  if (range.preset === 'custom') return { from: range.from, to: range.to };
  return { range: range.preset === fallback ? undefined : range.preset };
}

/** Absolute bounds (ISO) of a range at `now`; a preset's end is left open unless `closed`. */
export function resolveRange(range: TimeRange, now: number, closed = false): { from?: string; to?: string } {
  if (range.preset === 'custom')
    return { ...(range.from ? { from: range.from } : {}), ...(range.to ? { to: range.to } : {}) };
  if (range.preset === 'all')
    return closed
      ? { from: new Date(now - 730 * 86_400_000).toISOString(), to: new Date(now).toISOString() }
      : {};
  const preset = RANGE_PRESETS.find((p) => p.id === range.preset)!;
  return {
    from: new Date(now - preset.ms).toISOString(),
    ...(closed ? { to: new Date(now).toISOString() } : {}),
  };
}

/** Hour buckets up to two days, day buckets beyond (the API allows hour buckets up to 31 days). */
export function bucketFor(fromIso: string, toIso: string): 'hour' | 'day' {
  return Date.parse(toIso) - Date.parse(fromIso) <= 2 * 86_400_000 ? 'hour' : 'day';
}

/** A short label for a range (for headings). */
export function describeRange(range: TimeRange): string {
  if (range.preset === 'all') return 'All time';
  if (range.preset === 'custom') return 'Custom range';
  return RANGE_PRESETS.find((p) => p.id === range.preset)?.label ?? range.preset;
}

/** ISO -> the value of an `<input type="datetime-local">` (local time, minutes). */
export function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  const offset = date.getTimezoneOffset() * 60_000;
  return new Date(date.getTime() - offset).toISOString().slice(0, 16);
}

/** `<input type="datetime-local">` value -> ISO (undefined when empty or invalid). */
export function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
