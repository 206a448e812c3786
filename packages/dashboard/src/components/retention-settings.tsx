/**
 * The project's retention: how many days conversations are kept after their last activity, the
 * customers kept for other days, and what the last expiry run removed. An admin key changes the days
 * and the customers' overrides (the collector names what is wrong with a value); any other key reads.
 */
import { useId, useState } from 'react';
import type { ApiError } from '../api/api-error.ts';
import type { ApiClient } from '../api/client.ts';
import { saveProjectSettings } from '../api/project-settings-api.ts';
import { type RetentionStatus, saveCustomerRetention } from '../api/retention-api.ts';

const ROW = { display: 'flex', gap: 8, alignItems: 'flex-end', flexWrap: 'wrap' } as const;

/** "Last run …: removed 3 conversations (12 messages, 4 steps)." */
export function describeLastRun(run: RetentionStatus['lastRun']): string {
  if (!run) return 'No expiry has run yet.';
  const { removed } = run;
  const when = new Date(run.at).toLocaleString();
  const more = run.caughtUp ? '' : ' More is left for the next run.';
  return `Last run ${when}: removed ${removed.conversations} conversation${removed.conversations === 1 ? '' : 's'} (${removed.messages} messages, ${removed.steps} steps, ${removed.feedback} feedback, ${removed.scores} scores).${more}`;
}

export function RetentionSettings(props: {
  status: RetentionStatus;
  client: ApiClient;
  canEdit: boolean;
  onSaved(): void;
}) {
  const { status } = props;
  const [days, setDays] = useState(status.retentionDays === null ? '' : String(status.retentionDays));
  const [customer, setCustomer] = useState({ id: '', days: '' });
  const [error, setError] = useState<{ form: 'project' | 'customer'; error: ApiError } | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const daysId = useId();
  const customerId = useId();
  const customerDaysId = useId();

  const run = async (form: 'project' | 'customer', action: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      await action();
      setSaved(done);
      props.onSaved();
    } catch (caught) {
      setError({ form, error: caught as ApiError });
    } finally {
      setBusy(false);
    }
  };
  const problem = (form: 'project' | 'customer', path: string) =>
    error?.form === form
      ? (error.error.issues.find((issue) => issue.path === path)?.message ??
        (error.error.issues.length === 0 ? error.error.message : null))
      : null;
  const toNumber = (text: string) => (text.trim() === '' ? null : Number(text));

  return (
    <div>
      <p>
        {status.retentionDays === null
          ? 'Conversations are kept until they are deleted.'
          : `Conversations are kept ${status.retentionDays} days after their last activity.`}
      </p>
      {props.canEdit ? (
        <div style={ROW}>
          <div className="field">
            <label htmlFor={daysId} className="field-label">
              Days to keep (empty: forever)
            </label>
            <input
              id={daysId}
              className="input"
              inputMode="numeric"
              value={days}
              aria-invalid={problem('project', 'retentionDays') ? true : undefined}
              aria-describedby={problem('project', 'retentionDays') ? `${daysId}-problem` : undefined}
              onChange={(event) => setDays(event.target.value)}
            />
            {problem('project', 'retentionDays') ? (
              <span id={`${daysId}-problem`} className="field-error small">
                {problem('project', 'retentionDays')}
              </span>
            ) : null}
          </div>
          <button
            type="button"
            className="button button-primary"
            disabled={busy}
            onClick={() =>
              run(
                'project',
                () => saveProjectSettings(props.client, { retentionDays: toNumber(days) }),
                'Retention saved.',
              )
            }
          >
            Save retention
          </button>
        </div>
      ) : null}
      <h3>Customers kept for other days</h3>
      {status.customers.length === 0 ? (
        <p className="muted small">None: every customer follows the project's retention.</p>
      ) : (
        <table className="table" aria-label="Customers kept for other days">
          <thead>
            <tr>
              <th scope="col">Customer</th>
              <th scope="col">Days kept</th>
              {props.canEdit ? <th scope="col">Change</th> : null}
            </tr>
          </thead>
          <tbody>
            {status.customers.map((row) => (
              <tr key={row.customerId}>
                <td>{row.customerId}</td>
                <td>{row.days}</td>
                {props.canEdit ? (
                  <td>
                    <button
                      type="button"
                      className="button button-quiet"
                      aria-label={`Remove the override of ${row.customerId}`}
                      disabled={busy}
                      onClick={() =>
                        run(
                          'customer',
                          () =>
                            saveCustomerRetention(props.client, { customerId: row.customerId, days: null }),
                          `${row.customerId} follows the project's retention again.`,
                        )
                      }
                    >
                      Remove
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.canEdit ? (
        <div style={ROW}>
          <div className="field">
            <label htmlFor={customerId} className="field-label">
              Customer id
            </label>
            <input
              id={customerId}
              className="input"
              value={customer.id}
              onChange={(event) => setCustomer((c) => ({ ...c, id: event.target.value }))}
            />
            {problem('customer', 'id') ? (
              <span className="field-error small">{problem('customer', 'id')}</span>
            ) : null}
          </div>
          <div className="field">
            <label htmlFor={customerDaysId} className="field-label">
              Days to keep this customer
            </label>
            <input
              id={customerDaysId}
              className="input"
              inputMode="numeric"
              value={customer.days}
              aria-invalid={problem('customer', 'days') ? true : undefined}
              onChange={(event) => setCustomer((c) => ({ ...c, days: event.target.value }))}
            />
            {problem('customer', 'days') ? (
              <span className="field-error small">{problem('customer', 'days')}</span>
            ) : null}
          </div>
          <button
            type="button"
            className="button"
            disabled={busy || customer.id.trim() === ''}
            onClick={() =>
              run(
                'customer',
                () =>
                  saveCustomerRetention(props.client, {
                    customerId: customer.id.trim(),
                    days: Number(customer.days),
                  }),
                `${customer.id.trim()} is kept ${customer.days} days.`,
              )
            }
          >
            Keep this customer
          </button>
        </div>
      ) : (
        <p className="muted small">Only an admin key can change retention.</p>
      )}
      {saved ? (
        <p className="muted small" role="status">
          {saved}
        </p>
      ) : null}
      <p className="muted small">{describeLastRun(status.lastRun)}</p>
    </div>
  );
}
