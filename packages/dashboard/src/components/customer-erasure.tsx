/**
 * Deleting a customer from the customers list (admin keys only): a Delete button per row, a dialog
 * naming the customer and how many conversations go with them, and the receipt once done.
 */
import { type ReactNode, useState } from 'react';
import type { ApiError } from '../api/api-error.ts';
import { type ErasureReceipt, eraseCustomer } from '../api/curation-api.ts';
import type { CustomerSummary } from '../api/types.ts';
import { describeErasure } from '../lib/erasure-summary.ts';
import { formatCount } from '../lib/format.ts';
import { useClient } from '../session/session-context.tsx';
import { ConfirmDialog } from './confirm-dialog.tsx';

export interface CustomerErasure {
  /** Opens the confirmation for a customer. */
  ask(customer: CustomerSummary): void;
  /** The dialog and the last receipt, to render on the page. */
  view: ReactNode;
}

/** State and view of deleting customers; `onErased` runs after each (the list reloads). */
export function useCustomerErasure(onErased: () => void): CustomerErasure {
  const client = useClient();
  const [doomed, setDoomed] = useState<CustomerSummary | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<ErasureReceipt | null>(null);
  const confirm = async (customer: CustomerSummary) => {
    setBusy(true);
    setError(null);
    try {
      setDone(await eraseCustomer(client, customer.customerId));
      setDoomed(null);
      onErased();
    } catch (caught) {
      setError(caught as ApiError);
    } finally {
      setBusy(false);
    }
  };
  const view = (
    <>
      {done ? (
        <div className="banner banner-done" role="status">
          <div>
            <strong>
              Customer <code>{done.id}</code> deleted.
            </strong>{' '}
            {describeErasure(done)}
          </div>
        </div>
      ) : null}
      <ConfirmDialog
        open={doomed !== null}
        title="Delete this customer?"
        confirmLabel="Delete customer"
        busy={busy}
        error={error}
        onConfirm={() => doomed && confirm(doomed)}
        onCancel={() => {
          setDoomed(null);
          setError(null);
        }}
      >
        {doomed ? (
          <>
            <p>
              Customer <strong>{doomed.customerId}</strong> and all {formatCount(doomed.conversations)} of
              their conversations ({formatCount(doomed.messages)} messages)
            </p>
            <p>
              Their conversations, usage and cost, their part in every chart and total, and what the served
              agents keep of them are erased. This cannot be undone.
            </p>
          </>
        ) : null}
      </ConfirmDialog>
    </>
  );
  return { ask: setDoomed, view };
}

/** The Delete button of a customer's row (it does not open the row). */
export function DeleteCustomerButton(props: { customer: CustomerSummary; onClick(): void }) {
  return (
    <button
      type="button"
      className="button button-quiet button-danger-quiet"
      aria-label={`Delete customer ${props.customer.customerId}`}
      onClick={(event) => {
        event.stopPropagation();
        props.onClick();
      }}
      onKeyDown={(event) => event.stopPropagation()}
    >
      Delete
    </button>
  );
}
