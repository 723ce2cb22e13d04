/** Tanks: each with its level (from the analytics, with its time) and days to empty; add, edit, enter a level by hand. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { Tank, TankDraft } from '../api/types.js';
import { TankForm } from '../components/tank-form.js';
import { EmptyState, FailureNotice, Link, Loading, Pill } from '../components/ui.js';
import { useAction } from '../components/use-action.js';
import { ManualLevelForm } from '../components/manual-level.js';
import { useApp, usePageName } from '../context.js';
import { useNow, useStore } from '../data/hooks.js';
import { daysLeftWords } from '../logic/forecast-words.js';
import { isOpen, STATUS_WORDS } from '../logic/order-words.js';
import { PRODUCT_WORDS } from '../logic/tank-form.js';
import { orderPath, tankPath } from '../router.js';

export const TANK_DAYS = 30;

export function TanksPage(): JSX.Element {
  usePageName('Tanks');
  const app = useApp();
  const tanks = useStore(app.data.tanks);
  const [editing, setEditing] = useState<Tank | 'new' | undefined>();
  const action = useAction();
  const save = (body: TankDraft) =>
    void action.run(async () => {
      if (editing === 'new') await app.api.createTank(body);
      else if (editing !== undefined) await app.api.updateTank(editing.id, body);
      setEditing(undefined);
      await app.data.tanks.refresh();
      app.data.refreshOrders();
    }, editing === 'new' ? 'Tank added.' : 'Tank saved.');

  return (
    <>
      <div class="page-head">
        <h1>Tanks</h1>
        {editing === undefined && (
          <button type="button" class="primary" onClick={() => setEditing('new')}>
            Add a tank
          </button>
        )}
      </div>
      {action.status}
      {editing !== undefined && <TankForm {...(editing === 'new' ? {} : { tank: editing })} busy={action.busy} onSave={save} onCancel={() => setEditing(undefined)} />}
      {tanks.error !== undefined && <FailureNotice failure={tanks.error} retry={() => void app.data.tanks.refresh()} />}
      {tanks.data === undefined ? (
        tanks.error === undefined && <Loading what="your tanks" />
      ) : tanks.data.length === 0 ? (
        editing === undefined && (
          <EmptyState title="No tank yet: add one" action={<button type="button" class="primary" onClick={() => setEditing('new')}>Add a tank</button>}>
            A tank has a size, a reorder level and a delivery address; link it to a level sensor, or enter its level by hand. Then the dashboard forecasts when to reorder and you can order a refill.
          </EmptyState>
        )
      ) : (
        <ul class="list section">
          {tanks.data.map((t) => (
            <TankRow key={t.id} tank={t} onEdit={() => setEditing(t)} />
          ))}
        </ul>
      )}
    </>
  );
}

function TankRow(props: { tank: Tank; onEdit: () => void }): JSX.Element {
  const app = useApp();
  const { formats } = app;
  const now = useNow(60_000, app.now);
  const t = props.tank;
  const analytics = useStore(app.data.tankAnalytics.get(`${t.id}|${TANK_DAYS}`));
  const current = analytics.data?.current ?? null;
  const low = current !== null && current.percent < t.lowThreshold;
  const orders = useStore(app.data.orders);
  const open = orders.data?.find((o) => o.tankId === t.id && isOpen(o.status));
  return (
    <li class="card" data-testid="tank">
      <div class="row">
        <div class="grow">
          <h2>
            <Link href={tankPath(t.id)}>{t.name}</Link>
          </h2>
          <p class="small muted">
            {PRODUCT_WORDS[t.product]} · {formats.litres(t.capacityLitres)} · {t.sensorId === null ? 'levels entered by hand' : 'sensor linked'}
            {t.autoOrder ? ' · auto-order on' : ''}
          </p>
        </div>
        {low && <Pill tone="warning">Low</Pill>}
      </div>
      {analytics.error !== undefined && <FailureNotice failure={analytics.error} context="The level" />}
      {analytics.data === undefined ? (
        analytics.error === undefined && <Loading what="the level" />
      ) : (
        <dl class="kv spaced">
          <dt>Level</dt>
          <dd data-testid="tank-level">
            {current === null ? 'No reading yet' : `${formats.percent(current.percent)}${current.litres === null ? '' : ` · ${formats.litres(current.litres)}`} (${formats.dateTime(current.at, now)})`}
          </dd>
          <dt>Empty</dt>
          <dd data-testid="tank-empty">{daysLeftWords(analytics.data.forecast.emptyBy, formats)}</dd>
          {open !== undefined && (
            <>
              <dt>Order</dt>
              <dd>
                <Link href={orderPath(open.id)}>{open.number}</Link> · {STATUS_WORDS[open.status]}
              </dd>
            </>
          )}
        </dl>
      )}
      <div class="actions spaced">
        <Link class="button" href={tankPath(t.id)}>
          Forecast and usage
        </Link>
        <button type="button" onClick={props.onEdit}>
          Edit
        </button>
        <ManualLevelForm tank={t} />
      </div>
    </li>
  );
}
