/** One order: its status and timeline (live), the total, the window; cancel and reschedule while allowed; a review after delivery. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { Order } from '../api/types.js';
import { OrderReview } from '../components/order-review.js';
import { ConfirmDialog, EmptyState, FailureNotice, Link, Loading, Pill } from '../components/ui.js';
import { useAction } from '../components/use-action.js';
import { WindowFields, type WindowText } from '../components/window-fields.js';
import { useApp, usePageName } from '../context.js';
import { useNow, useStore } from '../data/hooks.js';
import { checkWindow, STATUS_TONE, STATUS_WORDS, toLocalInput, windowWords } from '../logic/order-words.js';
import { tankPath } from '../router.js';

const BY_WORDS = { customer: 'you', supplier: 'the supplier', system: 'EasyGas' } as const;

export function OrderPage(props: { id: string }): JSX.Element {
  const app = useApp();
  const { formats } = app;
  const now = useNow(60_000, app.now);
  const store = app.data.order.get(props.id);
  const state = useStore(store);
  const tanks = useStore(app.data.tanks);
  const o = state.data;
  usePageName(o === undefined ? 'Order' : `Order ${o.number}`);
  if (state.error !== undefined && o === undefined) {
    return state.error.status === 404 ? (
      <EmptyState title="No such order" action={<Link class="button primary" href="/orders">Your orders</Link>}>
        It may belong to another account.
      </EmptyState>
    ) : (
      <FailureNotice failure={state.error} retry={() => void store.refresh()} />
    );
  }
  if (o === undefined) return <Loading what="the order" />;
  const tank = tanks.data?.find((t) => t.id === o.tankId);
  return (
    <>
      <div class="page-head">
        <div>
          <p class="small muted">
            <Link href="/orders">Orders</Link>
            {tank === undefined ? null : (
              <>
                {' '}› <Link href={tankPath(tank.id)}>{tank.name}</Link>
              </>
            )}
          </p>
          <h1>Order {o.number}</h1>
        </div>
        <span data-testid="order-status">
          <Pill tone={STATUS_TONE[o.status]}>{STATUS_WORDS[o.status]}</Pill>
        </span>
      </div>
      <section class="card">
        <dl class="kv">
          <dt>Volume</dt>
          <dd>{o.actualLitres === null ? formats.litres(o.litres) : `${formats.litres(o.actualLitres)} delivered (${formats.litres(o.litres)} ordered)`}</dd>
          <dt>Total</dt>
          <dd data-testid="order-total">{money(o, formats.locale)}</dd>
          <dt>Requested</dt>
          <dd>{windowWords(o.window, formats, now)}</dd>
          {o.scheduled !== null && (
            <>
              <dt>Booked</dt>
              <dd>{windowWords(o.scheduled, formats, now)}</dd>
            </>
          )}
          <dt>Payment</dt>
          <dd>
            {o.paymentStatus}
            {o.invoiceNumber === null ? '' : ` · invoice ${o.invoiceNumber}`}
          </dd>
          <dt>Deliver to</dt>
          <dd>
            {o.address.street}, {o.address.postalCode} {o.address.city}
          </dd>
          {o.cancelReason !== null && (
            <>
              <dt>Why cancelled</dt>
              <dd>{o.cancelReason}</dd>
            </>
          )}
          {o.driverNotes !== null && (
            <>
              <dt>Driver's notes</dt>
              <dd>{o.driverNotes}</dd>
            </>
          )}
        </dl>
        <OrderActions order={o} />
      </section>
      <section class="section card" aria-labelledby="timeline-title">
        <h2 id="timeline-title">Timeline</h2>
        <ol class="timeline" data-testid="timeline">
          {(o.history ?? []).map((h, i) => (
            <li key={`${h.at}-${i}`}>
              <span class="small muted">{formats.dateTime(h.at, now)}</span>
              <span>
                <strong>{h.action === 'reschedule' ? 'Rescheduled' : STATUS_WORDS[h.status]}</strong> · by {BY_WORDS[h.by]}
                {h.notes === null ? '' : ` — ${h.notes}`}
              </span>
            </li>
          ))}
        </ol>
      </section>
      <OrderReview order={o} />
    </>
  );
}

/** The total in its currency, formatted here (minor units → Intl), not trusted as text. */
function money(o: Order, locale: string): string {
  try {
    const f = new Intl.NumberFormat(locale, { style: 'currency', currency: o.total.currency });
    const digits = f.resolvedOptions().maximumFractionDigits ?? 2;
    return f.format(o.total.amount / 10 ** digits);
  } catch {
    return o.totalFormatted;
  }
}

function OrderActions(props: { order: Order }): JSX.Element | null {
  const app = useApp();
  const o = props.order;
  const [confirming, setConfirming] = useState(false);
  const [moving, setMoving] = useState<WindowText | undefined>();
  const [windowError, setWindowError] = useState<{ field: 'start' | 'end'; error: string } | undefined>();
  const action = useAction();
  const canCancel = o.allowedActions.includes('cancel');
  const canMove = o.allowedActions.includes('reschedule');
  const after = () => app.data.refreshOrders(o.id);
  if (!canCancel && !canMove) return action.busy ? null : <div class="spaced">{action.status}</div>;
  const reschedule = (e: Event) => {
    e.preventDefault();
    if (moving === undefined) return;
    const w = checkWindow(moving.start, moving.end, app.now());
    if (!w.ok) {
      setWindowError({ field: w.field, error: w.error });
      return;
    }
    setWindowError(undefined);
    void action.run(async () => {
      await app.api.rescheduleOrder(o.id, w.window);
      setMoving(undefined);
      after();
    }, 'The new window was sent to the supplier.');
  };
  return (
    <div class="spaced">
      {action.status}
      {moving !== undefined && (
        <form onSubmit={reschedule} noValidate aria-label="New delivery window">
          <WindowFields idPrefix="reschedule" value={moving} error={windowError} onChange={setMoving} />
          <div class="actions spaced">
            <button type="button" onClick={() => setMoving(undefined)}>
              Keep the window
            </button>
            <button type="submit" class="primary" disabled={action.busy}>
              Send the new window
            </button>
          </div>
        </form>
      )}
      {moving === undefined && (
        <div class="actions">
          {canMove && (
            <button type="button" onClick={() => setMoving({ start: toLocalInput(o.window.start), end: toLocalInput(o.window.end) })}>
              Reschedule
            </button>
          )}
          {canCancel && (
            <button type="button" class="danger" onClick={() => setConfirming(true)}>
              Cancel the order
            </button>
          )}
        </div>
      )}
      <ConfirmDialog
        open={confirming}
        title={`Cancel order ${o.number}?`}
        confirm="Cancel the order"
        danger
        busy={action.busy}
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          void action.run(async () => {
            await app.api.cancelOrder(o.id);
            after();
          }, 'Order cancelled.');
        }}
      >
        The supplier is told at once. You can place a new order afterwards.
      </ConfirmDialog>
    </div>
  );
}
