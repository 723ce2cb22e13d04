/** The answer of GET /api/tanks/:id/analytics (README "Analytics" explains each figure). */
import { Type, type Static } from 'typebox';
import { Nullable, Timestamp } from '../../api/common.js';

const Estimate = Type.Object({
  at: Timestamp,
  p10: Timestamp,
  p90: Nullable(Timestamp),
  days: Type.Number({ description: 'days from the last reading to `at`' }),
});
const Outcome = Type.Union([
  Type.Object({ ok: Type.Literal(true), estimate: Estimate }),
  Type.Object({ ok: Type.Literal(false), reason: Type.String({ description: 'why no date is given, in words' }) }),
]);
const Period = Type.Object({ key: Type.String(), meanPercent: Nullable(Type.Number()), meanLitres: Nullable(Type.Number()), basis: Type.Integer() });

export const TankAnalyticsQuery = Type.Object(
  {
    tz: Type.Optional(Type.String({ description: 'IANA time zone the days are counted in (default UTC)' })),
    days: Type.Optional(Type.Integer({ minimum: 1, maximum: 393, description: 'days of daily use to return (default 90); the forecast and tips use what they need' })),
  },
  { additionalProperties: false },
);

export const TankAnalyticsView = Type.Object(
  {
    tankId: Type.String(),
    timeZone: Type.String(),
    current: Nullable(Type.Object({ at: Timestamp, percent: Type.Number(), litres: Nullable(Type.Number()) })),
    days: Type.Array(
      Type.Object({
        date: Type.String({ description: 'local date, YYYY-MM-DD' }),
        weekday: Type.Integer({ description: '0 Sunday … 6 Saturday' }),
        percent: Type.Number(),
        litres: Nullable(Type.Number()),
        hoursCovered: Type.Integer(),
        complete: Type.Boolean({ description: 'false: an outage left hours of the day unseen; its use is a lower bound and it is left out of averages' }),
      }),
    ),
    weekdays: Type.Array(Period),
    months: Type.Array(Period),
    hoursOfDay: Type.Array(Period),
    deliveries: Type.Array(
      Type.Object({
        at: Timestamp,
        beforePercent: Nullable(Type.Number({ description: 'the level the sensor saw before; null for an order it did not see' })),
        afterPercent: Nullable(Type.Number()),
        litres: Nullable(Type.Number({ description: 'litres the sensor saw arrive' })),
        order: Nullable(
          Type.Object(
            { id: Type.String(), number: Type.String(), orderedLitres: Type.Number(), deliveredLitres: Nullable(Type.Number()) },
            { description: 'the delivered order this refill belongs to; null: a refill of unknown origin (no order)' },
          ),
        ),
      }),
    ),
    outages: Type.Array(Type.Object({ from: Timestamp, to: Timestamp, unattributedPercent: Type.Number() })),
    forecast: Type.Object({
      method: Nullable(Type.Union([Type.Literal('median'), Type.Literal('degree-days')])),
      basis: Type.String({ description: 'what the forecast rests on, in words' }),
      percentPerDay: Nullable(Type.Number()),
      reorderBy: Outcome,
      emptyBy: Outcome,
      projection: Type.Array(
        Type.Object({
          at: Timestamp,
          p10: Type.Number({ description: 'level (percent) with a 10 % chance of being lower by then: the band\'s low edge' }),
          p50: Type.Number({ description: 'the expected level, percent' }),
          p90: Type.Number({ description: 'level (percent) with a 10 % chance of being higher: the band\'s high edge' }),
        }),
        {
          description:
            'The expected level from the last reading on, every 6 hours, with the P10–P90 band the dates are read from, until the band\'s high edge reaches empty or 90 days; empty when there is no forecast',
        },
      ),
    }),
    anomalies: Type.Array(
      Type.Object({
        type: Type.String(),
        at: Timestamp,
        severity: Type.Union([Type.Literal('warning'), Type.Literal('critical')]),
        seen: Type.String(),
        check: Type.String(),
        value: Type.Number(),
        unit: Type.String(),
      }),
    ),
    tips: Type.Array(Type.Object({ kind: Type.String(), text: Type.String(), figures: Type.Record(Type.String(), Type.Union([Type.Number(), Type.String()])) })),
  },
  { title: 'TankAnalytics' },
);
export type TankAnalyticsView = Static<typeof TankAnalyticsView>;
