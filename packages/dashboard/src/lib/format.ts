/** How numbers, money, durations and times read on screen (English, compact, locale time zone). */

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat('en');

/** 1234 -> "1,234"; 1234567 -> "1.2M". */
export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  return Math.abs(value) >= 100_000 ? compact.format(value) : whole.format(Math.round(value));
}

/** Token counts: compact above 10k ("12.3K"). */
export function formatTokens(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  return Math.abs(value) >= 10_000 ? compact.format(value) : whole.format(value);
}

/**
 * USD, one format everywhere: cents from $0.01 up ($0.12, $12.50, $1,234.00), four decimals below a
 * cent ($0.0042), "<$0.0001" for a positive cost that would round to nothing, "$0.00" for no cost and
 * "unpriced" for a model call the collector has no price for (null).
 */
export function formatCost(value: number | null | undefined, digits?: 2 | 4): string {
  if (value === null || value === undefined || Number.isNaN(value)) return 'unpriced';
  const abs = Math.abs(value);
  if (abs === 0) return digits === 4 ? '$0.0000' : '$0.00';
  const sign = value < 0 ? '-' : '';
  if (abs < 0.00005) return `${sign}<$0.0001`;
  const shown = digits ?? costDigits(abs);
  return `${sign}$${abs.toLocaleString('en', { minimumFractionDigits: shown, maximumFractionDigits: shown })}`;
}

const costDigits = (abs: number): 2 | 4 => (abs > 0 && abs < 0.00995 ? 4 : 2);

/**
 * One cost format for figures read together (a table's row: `$0.0100` beside `$0.0080`, never `$0.01`):
 * four decimals when any of them needs four.
 */
export function costFormatFor(
  values: ReadonlyArray<number | null | undefined>,
): (value: number | null) => string {
  const digits = values.some((value) => value != null && costDigits(Math.abs(value)) === 4) ? 4 : 2;
  return (value) => formatCost(value, digits);
}

/**
 * 12 -> "12 ms", 2400 -> "2.40 s", 24_500 -> "24.5 s", 192_000 -> "3m 12s", 3_720_000 -> "1h 2m",
 * 180_000_000 -> "2d 2h". Each unit is rounded before it is split, so a rounding carries into the
 * next unit (119_600 -> "2m 0s", never "1m 60s"; 59_990 -> "1m 0s", never "60.0 s").
 */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '–';
  const millis = Math.round(ms);
  if (millis < 1000) return `${millis} ms`;
  if (Math.round(ms / 10) < 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (Math.round(ms / 100) < 600) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${seconds % 60}s`;
  const minutes = Math.round(ms / 60_000);
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
  const hours = Math.round(ms / 3_600_000);
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

/** A fraction as a percentage: 0.0423 -> "4.2%". */
export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  const pct = value * 100;
  if (pct > 0 && pct < 0.05) return '<0.1%';
  const tenths = Math.round(pct * 10) / 10; // rounded first, so 9.96% reads "10%", not "10.0%"
  return `${Math.abs(tenths) >= 10 || tenths === 0 ? tenths.toFixed(0) : tenths.toFixed(1)}%`;
}

const dateTime = new Intl.DateTimeFormat('en', {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});
const fullTime = new Intl.DateTimeFormat('en', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});
const clock = new Intl.DateTimeFormat('en', {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

/** "Nov 23, 14:02". */
export function formatDateTime(iso: string | null | undefined): string {
  return iso ? dateTime.format(new Date(iso)) : '–';
}

/** "Nov 23, 2025, 14:02:11" (for titles and tooltips). */
export function formatFullTime(iso: string | null | undefined): string {
  return iso ? fullTime.format(new Date(iso)) : '–';
}

/** "14:02:11". */
export function formatClock(iso: string | null | undefined): string {
  return iso ? clock.format(new Date(iso)) : '–';
}

/** "just now", "5 min ago", "3 h ago", "2 d ago". */
export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '–';
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (seconds < 10) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}

/** Shortens text to `max` characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
