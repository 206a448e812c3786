/** The dashboard's sections, in sidebar order. A new page (e.g. Chat) adds a line here and a case in app-routes.tsx. */
export interface NavItem {
  /** First path segment of the section's routes. */
  segment: string;
  label: string;
  /** A one-character glyph shown before the label. */
  glyph: string;
}

export const NAV_ITEMS: NavItem[] = [
  { segment: 'overview', label: 'Overview', glyph: '◧' },
  { segment: 'conversations', label: 'Conversations', glyph: '☰' },
  { segment: 'review', label: 'Review', glyph: '✓' },
  { segment: 'live', label: 'Live', glyph: '◉' },
  { segment: 'chat', label: 'Chat', glyph: '✎' },
  { segment: 'tools', label: 'Tools', glyph: '⚒' },
  { segment: 'versions', label: 'Versions', glyph: '⇄' },
  { segment: 'datasets', label: 'Datasets', glyph: '▤' },
  { segment: 'customers', label: 'Customers', glyph: '☺' },
  { segment: 'ingestion', label: 'Ingestion health', glyph: '⇣' },
  { segment: 'settings', label: 'Settings', glyph: '⚙' },
];

export const DEFAULT_SEGMENT = 'conversations';
