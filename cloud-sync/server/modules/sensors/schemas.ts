/** Request and response schemas of /api/sensors: latest reading, history, consumption analytics. */
import { Type } from 'typebox';
import { Quality } from '../../../protocol/index.js';
import { CloudSensorId, Nullable, Timestamp } from '../../api/common.js';
import { SensorView } from '../devices/schemas.js';

export const ReadingView = Type.Object(
  {
    seq: Type.Integer(),
    at: Timestamp,
    value: Type.Number(),
    unit: Type.String(),
    raw: Nullable(Type.Number()),
    percent: Nullable(Type.Number()),
    litres: Nullable(Type.Number()),
    ppm: Nullable(Type.Number()),
    quality: Quality,
    clockSynced: Type.Boolean({ description: "false: taken before the gateway's clock was synchronised; `at` may be off" }),
    downsampled: Nullable(Type.Object({ seqEnd: Type.Integer(), atEnd: Timestamp, count: Type.Integer(), min: Type.Number(), max: Type.Number() })),
  },
  { title: 'Reading' },
);

export const LatestResponse = Type.Object({ sensor: SensorView, reading: Nullable(ReadingView) }, { title: 'LatestReading' });

const Instant = Type.String({ maxLength: 40, description: 'epoch milliseconds or ISO 8601' });
export const HistoryQuery = Type.Object(
  {
    from: Type.Optional(Instant),
    to: Type.Optional(Instant),
    bucket: Type.Optional(Type.String({ maxLength: 16, description: '5m, 1h, 1d… or milliseconds; omitted: chosen for ~500 points' })),
  },
  { additionalProperties: false },
);

export const HistoryResponse = Type.Object(
  {
    sensorId: Type.String(),
    unit: Nullable(Type.String()),
    from: Timestamp,
    to: Timestamp,
    bucketMs: Type.Integer(),
    points: Type.Array(Type.Object({ at: Timestamp, min: Type.Number(), avg: Type.Number(), max: Type.Number(), count: Type.Integer() })),
  },
  { title: 'History' },
);

export const AnalyticsQuery = Type.Object(
  {
    sensorId: CloudSensorId,
    days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 })),
    tz: Type.Optional(
      Type.String({ maxLength: 64, pattern: '^[A-Za-z0-9_+\\-]+(/[A-Za-z0-9_+\\-]+)*$', description: 'IANA time zone the days are counted in (default UTC), e.g. Europe/London' }),
    ),
  },
  { additionalProperties: false },
);

export const AnalyticsResponse = Type.Object(
  {
  sensorId: Type.String(),
  from: Timestamp,
  to: Timestamp,
  days: Type.Array(
    Type.Object({
      date: Type.String({ description: 'calendar day in timeZone, YYYY-MM-DD' }),
      percentUsed: Nullable(Type.Number()),
      litresUsed: Nullable(Type.Number()),
      refills: Type.Integer(),
      samples: Type.Integer({ description: 'hourly averages that day' }),
    }),
  ),
  rate: Type.Object({ percentPerDay: Nullable(Type.Number()), litresPerDay: Nullable(Type.Number()), basisDays: Type.Number() }),
  current: Nullable(Type.Object({ at: Timestamp, percent: Type.Number(), litres: Nullable(Type.Number()) })),
  daysToEmpty: Nullable(Type.Number()),
  emptyAt: Nullable(Timestamp),
  timeZone: Type.String({ description: 'the time zone the days are counted in' }),
  refills: Type.Array(Type.Object({ at: Timestamp, fromPercent: Type.Number(), toPercent: Type.Number() }), {
    description: 'rises of 5 points or more inside the days reported, at the hour they showed',
  }),
  },
  { title: 'ConsumptionAnalytics' },
);
