/** A tank's use per day as the existing usage bars; a day with a delivery is marked, a day with an outage says so. */
import type { JSX } from 'preact';
import { useMemo } from 'preact/hooks';
import type { AnalyticsDay, TankAnalytics } from '../api/types.js';
import { UsageBars } from './usage-bars.js';

export function tankUsageDays(a: TankAnalytics): AnalyticsDay[] {
  // 'en-CA' writes dates as YYYY-MM-DD, the days' own format, in the analytics' time zone.
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: a.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const deliveries = a.deliveries.map((d) => day.format(d.at));
  return a.days.map((d) => ({
    date: d.date,
    percentUsed: d.percent,
    litresUsed: d.litres,
    refills: deliveries.filter((x) => x === d.date).length,
    samples: d.hoursCovered,
  }));
}

export function TankUsage(props: { analytics: TankAnalytics }): JSX.Element {
  const a = props.analytics;
  const days = useMemo(() => tankUsageDays(a), [a]);
  const partial = a.days.filter((d) => !d.complete).length;
  return (
    <section class="section card" aria-labelledby="usage-title">
      <h2 id="usage-title">Daily usage</h2>
      {days.length === 0 ? (
        <p class="muted">No use to show yet: it needs readings over at least a day.</p>
      ) : (
        <>
          <UsageBars days={days} litres={days.some((d) => d.litresUsed !== null)} />
          {partial > 0 && (
            <p class="small muted">
              {partial} day{partial > 1 ? 's' : ''} with hours unseen (an outage): their use is a lower bound, left out of the forecast.
            </p>
          )}
        </>
      )}
    </section>
  );
}
