import { useId, useState } from 'react';
import { activeFilterCount, type ConversationFilters } from '../lib/conversation-query.ts';
import { MetadataFilter } from './metadata-filter.tsx';
import { RangeSelect } from './range-select.tsx';
import { SelectFilter } from './select-filter.tsx';
import { TextFilter } from './text-filter.tsx';

const ERROR_OPTIONS = [
  { value: 'true', label: 'With errors' },
  { value: 'false', label: 'Without errors' },
] as const;

const MARKED_OPTIONS = [
  { value: 'true', label: 'Marked' },
  { value: 'false', label: 'Not marked' },
] as const;

const FEEDBACK_OPTIONS = [
  { value: 'positive', label: 'Positive' },
  { value: 'neutral', label: 'Neutral' },
  { value: 'negative', label: 'Negative' },
] as const;

/** Every filter of the conversations query; each change starts again at the first page. */
export function ConversationFilterBar(props: {
  filters: ConversationFilters;
  onChange: (filters: ConversationFilters) => void;
}) {
  const { filters } = props;
  const set = (patch: Partial<ConversationFilters>) => {
    const next: ConversationFilters = { ...filters, ...patch };
    delete next.cursor;
    for (const [name, value] of Object.entries(patch))
      if (value === undefined) delete next[name as keyof ConversationFilters];
    props.onChange(next);
  };
  const count = activeFilterCount(filters);
  const [open, setOpen] = useState(false);
  const moreId = useId();
  return (
    <search className="filter-bar" aria-label="Filter conversations">
      <TextFilter
        className="field-grow"
        label="Search"
        placeholder="Text in messages, names, ids…"
        value={filters.search}
        onCommit={(search) => set({ search })}
      />
      <button
        type="button"
        className="button filter-toggle"
        aria-expanded={open}
        aria-controls={moreId}
        onClick={() => setOpen(!open)}
      >
        Filters{count > 0 ? ` (${count})` : ''} {open ? '▴' : '▾'}
      </button>
      <div id={moreId} className={`filter-more${open ? ' open' : ''}`}>
        <div className="field">
          <span className="field-label">Time</span>
          <RangeSelect value={filters.range} allowAll onChange={(range) => set({ range })} />
        </div>
        <TextFilter
          label="Customer"
          placeholder="customer id"
          value={filters.customerId}
          onCommit={(customerId) => set({ customerId })}
        />
        <TextFilter
          label="Source"
          placeholder="web, api…"
          value={filters.source}
          onCommit={(source) => set({ source })}
        />
        <TextFilter
          label="Environment"
          placeholder="production…"
          value={filters.environment}
          onCommit={(environment) => set({ environment })}
        />
        <SelectFilter
          label="Errors"
          value={filters.hasError}
          options={ERROR_OPTIONS}
          onChange={(hasError) => set({ hasError })}
        />
        <SelectFilter
          label="Feedback"
          value={filters.feedback}
          options={FEEDBACK_OPTIONS}
          onChange={(feedback) => set({ feedback })}
        />
        <SelectFilter
          label="Marked"
          value={filters.marked}
          options={MARKED_OPTIONS}
          onChange={(marked) => set({ marked })}
        />
        <MetadataFilter pairs={filters.metadata} onChange={(metadata) => set({ metadata })} />
      </div>
      {count > 0 ? (
        <button
          type="button"
          className="button button-quiet filter-clear"
          onClick={() => props.onChange({ range: { preset: 'all' }, metadata: [] })}
        >
          Clear {count} filter{count === 1 ? '' : 's'}
        </button>
      ) : null}
    </search>
  );
}
