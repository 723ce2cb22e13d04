/** GET /api/tanks/:id/analytics: usage, deliveries, the forecast with its band, anomalies and tips for one tank. */
import { currentActor } from '../../auth/actor.js';
import { requirePermission } from '../../auth/permissions.js';
import { userScope } from '../../auth/scopes.js';
import type { CloudApp } from '../../context.js';
import { fails, ok } from '../../api/answers.js';
import { IdParams } from '../../api/common.js';
import { TankAnalyticsQuery, TankAnalyticsView } from './schemas.js';
import { TankAnalyticsService } from './service.js';
import type { TankAnalytics } from './tank-analytics.js';

/** Figures for people and JSON: rounded, and never NaN or Infinity (those become 0, which the property tests rule out anyway). */
const r = (x: number, digits = 2): number => (Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : 0);
const rn = (x: number | null, digits = 2): number | null => (x === null ? null : r(x, digits));

function view(tankId: string, timeZone: string, days: number, a: TankAnalytics): TankAnalyticsView {
  const period = (p: TankAnalytics['weekdays'][number]) => ({ key: p.key, meanPercent: rn(p.meanPercent), meanLitres: rn(p.meanLitres, 1), basis: p.basis });
  return {
    tankId,
    timeZone,
    current: a.current === null ? null : { at: a.current.at, percent: r(a.current.percent, 1), litres: rn(a.current.litres, 1) },
    days: a.days.slice(-days).map((d) => ({ date: d.date, weekday: d.weekday, percent: r(d.percent), litres: rn(d.litres, 1), hoursCovered: d.hoursCovered, complete: d.complete })),
    weekdays: a.weekdays.map(period),
    months: a.months.map(period),
    hoursOfDay: a.hoursOfDay.map(period),
    deliveries: a.deliveries.map((d) => ({ ...d, beforePercent: rn(d.beforePercent, 1), afterPercent: rn(d.afterPercent, 1), litres: rn(d.litres, 0) })),
    outages: a.outages.map((o) => ({ from: o.from, to: o.to, unattributedPercent: r(o.unattributedPercent) })),
    forecast: { ...a.forecast, percentPerDay: rn(a.forecast.percentPerDay), projection: a.forecast.projection.map((p) => ({ at: p.at, p10: r(p.p10), p50: r(p.p50), p90: r(p.p90) })) },
    anomalies: a.anomalies.map((x) => ({ ...x, value: r(x.value) })),
    tips: a.tips.map((t) => ({ ...t, figures: { ...t.figures } })),
  };
}

/** Registered with the prefix /api/tanks, beside the tanks module. */
export const analyticsModule = userScope((app: CloudApp) => {
  const service = new TankAnalyticsService(app.cloud.repo, app.cloud.clock);
  app.get(
    '/:id/analytics',
    {
      config: requirePermission('tanks:own'),
      schema: {
        operationId: 'getTankAnalytics',
        tags: ['tanks'],
        summary: "A tank's usage, deliveries, refill forecast with its band, anomalies and money-saving tips",
        description:
          'From the linked sensor\'s hourly rollups and the levels typed in by hand (never a scan of raw readings): use per local day, weekday, month ' +
          'and hour of day from `ok` readings only; deliveries (rises of 5 % or more seen on two readings); outages as gaps; "reorder by" and "empty by" ' +
          'dates with a P10–P90 band and the basis in words, or the reason there is none (no reading for 96 h, fewer than 4 days, beyond 90 days); ' +
          'anomalies with what was seen and what to check; tips with the figures they rest on.',
        params: IdParams,
        querystring: TankAnalyticsQuery,
        response: { 200: ok(TankAnalyticsView, 'The analytics of the tank.'), ...fails('EASYGAS_NOT_FOUND') },
      },
    },
    async (request) => {
      const timeZone = request.query.tz ?? 'UTC';
      const { tank, analytics } = await service.forTank(currentActor(request), request.params.id, timeZone);
      return view(tank.id, timeZone, request.query.days ?? 90, analytics);
    },
  );
});
