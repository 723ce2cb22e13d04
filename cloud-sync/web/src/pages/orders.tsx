/** Your refill orders, newest first, each with its status (live). */
import type { JSX } from 'preact';
import { EmptyState, FailureNotice, Link, Loading, Pill } from '../components/ui.js';
import { useApp, usePageName } from '../context.js';
import { useNow, useStore } from '../data/hooks.js';
import { STATUS_TONE, STATUS_WORDS } from '../logic/order-words.js';
import { orderPath } from '../router.js';

export function OrdersPage(): JSX.Element {
  usePageName('Orders');
  const app = useApp();
  const { formats } = app;
  const now = useNow(60_000, app.now);
  const orders = useStore(app.data.orders);
  const tanks = useStore(app.data.tanks);
  const tankName = (id: string) => tanks.data?.find((t) => t.id === id)?.name ?? 'a tank';
  return (
    <>
      <div class="page-head">
        <h1>Orders</h1>
      </div>
      {orders.error !== undefined && <FailureNotice failure={orders.error} retry={() => void app.data.orders.refresh()} />}
      {orders.data === undefined ? (
        orders.error === undefined && <Loading what="your orders" />
      ) : orders.data.length === 0 ? (
        <EmptyState title="No order yet" action={<Link class="button primary" href="/tanks">Your tanks</Link>}>
          Order a refill from a tank's page: choose the volume, the supplier at its price, and the delivery window.
        </EmptyState>
      ) : (
        <ul class="list">
          {[...orders.data]
            .sort((a, b) => b.createdAt - a.createdAt)
            .map((o) => (
              <li key={o.id} class="card" data-testid="order">
                <div class="row">
                  <div class="grow">
                    <h2>
                      <Link href={orderPath(o.id)}>Order {o.number}</Link>
                    </h2>
                    <p class="small muted">
                      {tankName(o.tankId)} · {formats.litres(o.actualLitres ?? o.litres)} · {o.totalFormatted} · placed {formats.dateTime(o.createdAt, now)}
                      {o.placedBy === 'auto' ? ' automatically' : ''}
                    </p>
                  </div>
                  <Pill tone={STATUS_TONE[o.status]}>{STATUS_WORDS[o.status]}</Pill>
                </div>
              </li>
            ))}
        </ul>
      )}
    </>
  );
}
