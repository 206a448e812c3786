/** The chart palette (matches the stylesheet's accent colors). */
export const COLORS = {
  primary: '#4f46e5',
  secondary: '#0ea5e9',
  tertiary: '#14b8a6',
  warm: '#f59e0b',
  error: '#e11d48',
  positive: '#16a34a',
  neutral: '#94a3b8',
  negative: '#e11d48',
  grid: 'var(--chart-grid)',
  axis: 'var(--muted)',
} as const;

export const SERIES_PALETTE = ['#4f46e5', '#0ea5e9', '#14b8a6', '#f59e0b', '#a855f7', '#ec4899', '#64748b'];
