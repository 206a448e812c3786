import { useId, useState } from 'react';
import type { ConversationFilters } from '../lib/conversation-query.ts';
import { EXPORT_FORMATS, type ExportFormat, exportHref } from '../lib/export-link.ts';
import { useClient } from '../session/session-context.tsx';

/**
 * Downloads every conversation matching the filters (not only the page shown) in a chosen format; the
 * browser saves the file as the collector streams it.
 */
export function ExportControl(props: { filters: ConversationFilters }) {
  const client = useClient();
  const [format, setFormat] = useState<ExportFormat>('csv');
  const id = useId();
  const download = () => {
    const link = document.createElement('a');
    link.href = exportHref(props.filters, format, client.key, Date.now());
    link.download = '';
    document.body.append(link);
    link.click();
    link.remove();
  };
  return (
    <div className="export-control">
      <label htmlFor={id} className="visually-hidden">
        Export format
      </label>
      <select
        id={id}
        className="input"
        value={format}
        onChange={(event) => setFormat(event.target.value as ExportFormat)}
      >
        {EXPORT_FORMATS.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="button"
        onClick={download}
        title="Download every conversation matching the filters, not only this page"
      >
        Export
      </button>
    </div>
  );
}
