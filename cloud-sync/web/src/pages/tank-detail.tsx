/** One tank: level, forecast with its band and basis (or the reason), daily use, deliveries, anomalies, tips, the open order. */
import { deliveryWords } from '../logic/delivery-words.js';
import type { JSX } from 'preact';
import type { Order, TankAnalytics } from '../api/types.js';
import { EmptyState, FailureNotice, Link, Loading, Pill } from '../components/ui.js';
import { ManualLevelForm } from '../components/manual-level.js';
import { TankUsage } from '../components/tank-usage.js';
import { useLazy } from '../components/use-lazy.js';
import { useApp, usePageName } from '../context.js';
import { useNow, useStore } from '../data/hooks.js';
import { outcomeWords } from '../logic/forecast-words.js';
import { isOpen, STATUS_TONE, STATUS_WORDS } from '../logic/order-words.js';
import { PRODUCT_WORDS } from '../logic/tank-form.js';
import { orderPath, tankOrderPath } from '../router.js';
import { TANK_DAYS } from './tanks.js';

export function TankDetailPage(props: { id: string }): JSX.Element {
  const app = useApp();
  const { formats } = app;
  const now = useNow(60_000, app.now);
  const tanks = useStore(app.data.tanks);
  const tank = tanks.data?.find((t) => t.id === props.id);
  usePageName(tank?.name ?? 'Tank');
  const analytics = useStore(app.data.tankAnalytics.get(`${props.id}|${TANK_DAYS}`));
  const orders = useStore(app.data.orders);
  if (tanks.error !== undefined) return <FailureNotice failure={tanks.error} retry={() => void app.data.tanks.refresh()} />;
  if (tanks.data === undefined) return <Loading what="the tank" />;
  if (tank === undefined) {
    return (
      <EmptyState title="No such tank" action={<Link class="button primary" href="/tanks">Your tanks</Link>}>
        It may have been deleted.
      </EmptyState>
    );
  }
  const open = (orders.data ?? []).find((o) => o.tankId === tank.id && isOpen(o.status));
  const a = analytics.data;
  return (
    <>
      <div class="page-head">
        <div>
          <p class="small muted">
            <Link href="/tanks">Tanks</Link> › {PRODUCT_WORDS[tank.product]}
          </p>
          <h1>{tank.name}</h1>
        </div>
        {open === undefined ? (
          <Link class="button primary" href={tankOrderPath(tank.id)}>
            Order a refill
          </Link>
        ) : null}
      </div>
      {open !== undefined && <OpenOrder order={open} now={now} />}
      {analytics.error !== undefined && <FailureNotice failure={analytics.error} retry={() => void app.data.tankAnalytics.get(`${props.id}|${TANK_DAYS}`).refresh()} />}
      {a === undefined ? (
        analytics.error === undefined && <Loading what="the forecast" />
      ) : (
        <>
          <section class="card" aria-labelledby="forecast-title" data-testid="forecast">
            <h2 id="forecast-title">Level and forecast</h2>
            <p class="big">
              {a.current === null ? 'No reading yet' : `${formats.percent(a.current.percent)}${a.current.litres === null ? '' : ` · ${formats.litres(a.current.litres)}`}`}
            </p>
            <p class="small muted">{a.current === null ? 'Link a level sensor or enter a level by hand.' : `Read ${formats.dateTime(a.current.at, now)} (${formats.relative(a.current.at, now)})`}</p>
            <ul class="list spaced">
              <li data-testid="reorder-by">{outcomeWords(`Reorder by (at ${formats.percent(tank.reorderLevel)})`, a.forecast.reorderBy, formats)}</li>
              <li data-testid="empty-by">{outcomeWords('Empty by', a.forecast.emptyBy, formats)}</li>
            </ul>
            <p class="small muted basis">Basis: {a.forecast.basis}</p>
            <div class="actions spaced">
              <ManualLevelForm tank={tank} />
            </div>
          </section>
          {tank.sensorId !== null && (
            <section class="section card" aria-labelledby="level-chart-title">
              <h2 id="level-chart-title">Level, 30 days</h2>
              <LazyLevelChart sensorId={tank.sensorId} analytics={a} reorderPercent={tank.reorderLevel} />
            </section>
          )}
          <TankUsage analytics={a} />
          <Happenings analytics={a} now={now} />
        </>
      )}
    </>
  );
}

function OpenOrder(props: { order: Order; now: number }): JSX.Element {
  const { formats } = useApp();
  const o = props.order;
  return (
    <section class="card notice soft" aria-label="Open order" data-testid="open-order">
      <p>
        <Link href={orderPath(o.id)}>Order {o.number}</Link> · {formats.litres(o.litres)} · <Pill tone={STATUS_TONE[o.status]}>{STATUS_WORDS[o.status]}</Pill>
      </p>
      <p class="small muted">Placed {formats.dateTime(o.createdAt, props.now)}. One open order per tank: a new one can be placed once it is delivered or cancelled.</p>
    </section>
  );
}

function Happenings(props: { analytics: TankAnalytics; now: number }): JSX.Element {
  const { formats } = useApp();
  const a = props.analytics;
  return (
    <>
      <section class="section card" aria-labelledby="deliveries-title">
        <h2 id="deliveries-title">Deliveries</h2>
        {a.deliveries.length === 0 ? (
          <p class="muted">No refill in the last {TANK_DAYS} days.</p>
        ) : (
          <ul class="timeline">
            {[...a.deliveries].reverse().map((d) => (
              <li key={d.at}>
                <span class="small muted">{formats.dateTime(d.at, props.now)}</span>
                <span>{deliveryWords(d, formats)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section class="section card" aria-labelledby="anomalies-title">
        <h2 id="anomalies-title">Anomalies</h2>
        {a.anomalies.length === 0 ? (
          <p class="muted">Nothing unusual seen.</p>
        ) : (
          <ul class="timeline" data-testid="anomalies">
            {a.anomalies.map((x) => (
              <li key={`${x.type}-${x.at}`}>
                <span class="small muted">{formats.dateTime(x.at, props.now)}</span>
                <span>
                  <Pill tone={x.severity}>{x.severity === 'critical' ? 'Critical' : 'Warning'}</Pill> {x.seen}
                  <br />
                  <span class="small muted">What to check: {x.check}</span>
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      {a.tips.length > 0 && (
        <section class="section card" aria-labelledby="tips-title">
          <h2 id="tips-title">Tips</h2>
          <ul class="list">
            {a.tips.map((t) => (
              <li key={t.kind}>{t.text}</li>
            ))}
          </ul>
        </section>
      )}
      {a.outages.length > 0 && (
        <p class="small muted section">
          {a.outages.length} outage{a.outages.length > 1 ? 's' : ''} with no readings in this period: their use is not counted.
        </p>
      )}
    </>
  );
}

type ChartProps = { sensorId: string; analytics: TankAnalytics; reorderPercent: number };

/** The chart pulls in uPlot: loaded when a tank with a sensor is shown, not with the app. */
function LazyLevelChart(props: ChartProps): JSX.Element {
  const chart = useLazy<ChartProps>(() => import('../components/tank-level-chart.js').then((m) => m.TankLevelChart));
  if (chart.state === 'failed') return <p class="muted">The chart did not load: reload the page.</p>;
  return chart.state === 'loading' ? <Loading what="the level chart" /> : <chart.C {...props} />;
}
