/** Order a refill: how much (litres or fill to 80 %/95 %), from which supplier at its quoted price, the window, notes. */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Supplier, Tank } from '../api/types.js';
import { EmptyState, FailureNotice, Field, Link, Loading } from '../components/ui.js';
import { useAction } from '../components/use-action.js';
import { defaultWindow, WindowFields, type WindowText } from '../components/window-fields.js';
import { useApp, usePageName } from '../context.js';
import { useStore } from '../data/hooks.js';
import { checkWindow, toLocalInput } from '../logic/order-words.js';
import { orderPath, tankPath } from '../router.js';
import { TANK_DAYS } from './tanks.js';

type Amount = 'litres' | '80' | '95';

export function OrderRefillPage(props: { id: string }): JSX.Element {
  usePageName('Order a refill');
  const app = useApp();
  const tanks = useStore(app.data.tanks);
  const analytics = useStore(app.data.tankAnalytics.get(`${props.id}|${TANK_DAYS}`));
  const tank = tanks.data?.find((t) => t.id === props.id);
  if (tanks.error !== undefined) return <FailureNotice failure={tanks.error} retry={() => void app.data.tanks.refresh()} />;
  if (tanks.data === undefined || (analytics.data === undefined && analytics.error === undefined)) return <Loading what="the tank" />;
  if (tank === undefined) {
    return (
      <EmptyState title="No such tank" action={<Link class="button primary" href="/tanks">Your tanks</Link>}>
        It may have been deleted.
      </EmptyState>
    );
  }
  return <OrderForm tank={tank} currentPercent={analytics.data?.current?.percent ?? null} />;
}

/** The litres an amount means: typed, or the room up to the target from the level now. */
function litresFor(amount: Amount, typed: string, tank: Tank, currentPercent: number | null): number | undefined {
  if (amount === 'litres') {
    const n = Number(typed);
    return Number.isInteger(n) && n >= 1 && n <= tank.capacityLitres ? n : undefined;
  }
  if (currentPercent === null) return undefined;
  const litres = Math.round((tank.capacityLitres * (Number(amount) - currentPercent)) / 100);
  return litres >= 1 ? litres : undefined;
}

function OrderForm(props: { tank: Tank; currentPercent: number | null }): JSX.Element {
  const app = useApp();
  const { formats } = app;
  const tank = props.tank;
  const [amount, setAmount] = useState<Amount>(props.currentPercent === null ? 'litres' : '80');
  const [typed, setTyped] = useState('');
  const [supplierId, setSupplierId] = useState('');
  const [suppliers, setSuppliers] = useState<Supplier[] | undefined>();
  const [window, setWindow] = useState<WindowText>(() => defaultWindow(app.now(), toLocalInput));
  const [notes, setNotes] = useState('');
  const [errors, setErrors] = useState<{ litres?: string; supplier?: string; window?: { field: 'start' | 'end'; error: string } }>({});
  const action = useAction();
  const litres = litresFor(amount, typed, tank, props.currentPercent);
  // The one chosen, else the preferred one, else the first listed (a supplier that stopped serving here is not offered).
  const preferred = tank.preferredSupplierId ?? '';
  const chosen = [supplierId, preferred].find((id) => id !== '' && suppliers?.some((s) => s.id === id) === true) ?? suppliers?.[0]?.id ?? '';

  // Quotes for the chosen volume from every supplier serving the tank's postal code.
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      app.api.suppliers({ postalCode: tank.address.postalCode, product: tank.product, ...(litres === undefined ? {} : { litres }) }).then(
        (list) => live && setSuppliers(list),
        () => live && setSuppliers([]),
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [app, tank.address.postalCode, tank.product, litres]);

  const submit = (e: Event) => {
    e.preventDefault();
    const w = checkWindow(window.start, window.end, app.now());
    const next: typeof errors = {};
    if (litres === undefined) next.litres = amount === 'litres' ? `Whole litres, from 1 to the tank's ${formats.litres(tank.capacityLitres)}.` : 'The tank is already above that level.';
    if (chosen === '') next.supplier = 'Choose a supplier.';
    if (!w.ok) next.window = { field: w.field, error: w.error };
    setErrors(next);
    if (Object.keys(next).length > 0 || !w.ok) return;
    void action.run(async () => {
      const order = await app.api.placeOrder({
        tankId: tank.id,
        supplierId: chosen,
        ...(amount === 'litres' ? { litres: litres ?? 0 } : { fillTo: Number(amount) as 80 | 95 }),
        window: w.window,
        ...(notes.trim() === '' ? {} : { notes: notes.trim() }),
      });
      app.data.refreshOrders();
      app.navigate(orderPath(order.id));
    });
  };

  return (
    <form onSubmit={submit} noValidate>
      <div class="page-head">
        <div>
          <p class="small muted">
            <Link href="/tanks">Tanks</Link> › <Link href={tankPath(tank.id)}>{tank.name}</Link>
          </p>
          <h1>Order a refill</h1>
        </div>
      </div>
      <section class="card">
        <fieldset>
          <legend>How much</legend>
          {(['80', '95'] as const).map((p) => (
            <label class="check" key={p}>
              <input type="radio" name="amount" value={p} checked={amount === p} disabled={props.currentPercent === null} onChange={() => setAmount(p)} />
              Fill to {p} %{props.currentPercent === null ? ' (needs a level reading)' : ` (from ${formats.percent(props.currentPercent)} now)`}
            </label>
          ))}
          <label class="check">
            <input type="radio" name="amount" value="litres" checked={amount === 'litres'} onChange={() => setAmount('litres')} />
            A number of litres
          </label>
          {amount === 'litres' && (
            <Field id="order-litres" label="Litres" error={errors.litres} hint={`At most the tank's ${formats.litres(tank.capacityLitres)}.`}>
              {(aria) => <input {...aria} inputMode="numeric" value={typed} onInput={(e) => setTyped(e.currentTarget.value)} />}
            </Field>
          )}
          {amount !== 'litres' && errors.litres !== undefined && <p class="error">{errors.litres}</p>}
          <p class="small muted" data-testid="order-litres">{litres === undefined ? '' : `${formats.litres(litres)} to deliver.`}</p>
        </fieldset>
      </section>
      <section class="section card" aria-labelledby="suppliers-title">
        <h2 id="suppliers-title">Supplier</h2>
        <p class="small muted">Serving {tank.address.postalCode}; prices for the volume above, as quoted now and kept on the order.</p>
        {suppliers === undefined ? (
          <Loading what="the suppliers" />
        ) : suppliers.length === 0 ? (
          <p class="notice">No supplier serves {tank.address.postalCode} for this product yet.</p>
        ) : (
          <fieldset class="spaced">
            <legend class="sr-only">Choose a supplier</legend>
            {suppliers.map((s) => (
              <label class="check" key={s.id} data-testid="supplier-choice">
                <input type="radio" name="supplier" value={s.id} checked={chosen === s.id} onChange={() => setSupplierId(s.id)} />
                <span>
                  <strong>{s.company}</strong> · {s.quote === null ? 'no price for this volume' : `${s.quote.formatted} (${formats.litres(s.quote.litres)})`}
                  <span class="small muted">
                    {' '}
                    · delivers in {s.leadTimeDays} day{s.leadTimeDays === 1 ? '' : 's'}
                    {s.rating === null ? ' · no reviews yet' : ` · ${formats.number(s.rating)} ★ (${s.reviewCount})`}
                    {s.id === tank.preferredSupplierId ? ' · your preferred supplier' : ''}
                  </span>
                </span>
              </label>
            ))}
            {errors.supplier !== undefined && chosen === '' && <p class="error">{errors.supplier}</p>}
          </fieldset>
        )}
      </section>
      <section class="section card" aria-labelledby="window-title">
        <h2 id="window-title">When</h2>
        <WindowFields idPrefix="order-window" value={window} error={errors.window} onChange={setWindow} />
        <Field id="order-notes" label="Notes for the supplier" hint="Optional.">
          {(aria) => <textarea {...aria} rows={3} maxLength={1000} value={notes} onInput={(e) => setNotes(e.currentTarget.value)} />}
        </Field>
      </section>
      {action.status}
      <div class="actions section">
        <Link class="button" href={tankPath(tank.id)}>
          Cancel
        </Link>
        <button type="submit" class="primary" disabled={action.busy || suppliers === undefined || suppliers.length === 0}>
          Place the order
        </button>
      </div>
    </form>
  );
}
