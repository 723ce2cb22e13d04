/** /api/sensors: the list, latest reading, bucketed history, consumption analytics. */
import { Type } from 'typebox';
import { currentUser } from '../auth/guards.js';
import type { CloudApp, CloudContext } from '../context.js';
import { apiError, notFound } from '../errors.js';
import { fails, ok } from '../api/answers.js';
import { SensorIdParams } from '../api/common.js';
import { SensorView } from '../api/device-schemas.js';
import { AnalyticsQuery, AnalyticsResponse, HistoryQuery, HistoryResponse, LatestResponse } from '../api/sensor-schemas.js';
import { readingView, sensorView } from '../api/views.js';
import { calendarDaysUntil, isTimeZone } from '../services/calendar-days.js';
import { analyseConsumption } from '../services/consumption.js';
import { DAY, resolveRange } from '../services/time-range.js';
import type { Sensor } from '../storage/types.js';

const HOUR = 3_600_000;
const RATE_WINDOW_DAYS = 7;

export function sensorRoutes(app: CloudApp, ctx: CloudContext): void {
  const { repo, clock } = ctx;
  const owned = async (userId: string, id: string): Promise<Sensor> => {
    const sensor = await repo.readings.sensor(userId, id);
    if (sensor === undefined) throw notFound('sensor', id);
    return sensor;
  };

  app.get(
    '/api/sensors',
    {
      onRequest: ctx.userAuth,
      schema: {
        operationId: 'listSensors',
        tags: ['sensors'],
        summary: 'Every sensor of your gateways',
        description: 'Each sensor a gateway of yours has reported, with its health and when it last read. Its id is `<gatewayId>:<sensorId>`.',
        response: { 200: ok(Type.Array(SensorView), 'Your sensors.') },
      },
    },
    async (request) => (await repo.readings.listSensors(currentUser(request).id)).map(sensorView),
  );

  app.get(
    '/api/sensors/:id/latest',
    {
      onRequest: ctx.userAuth,
      schema: {
        operationId: 'getLatestReading',
        tags: ['sensors'],
        summary: 'The newest reading',
        description: "The sensor and its newest stored reading (null before the first). Check the reading's `at` and `quality` before showing its value.",
        params: SensorIdParams,
        response: { 200: ok(LatestResponse, 'The sensor and its newest reading.'), ...fails('EASYGAS_NOT_FOUND') },
      },
    },
    async (request) => {
      const sensor = await owned(currentUser(request).id, request.params.id);
      const reading = await repo.readings.latest(sensor.key);
      return { sensor: sensorView(sensor), reading: reading === undefined ? null : readingView(reading) };
    },
  );

  app.get(
    '/api/sensors/:id/history',
    {
      onRequest: ctx.userAuth,
      schema: {
        operationId: 'getSensorHistory',
        tags: ['sensors'],
        summary: 'min/avg/max/count per time bucket; without a bucket, one is chosen so the range fits ~500 points',
        description: 'from/to: epoch ms or ISO 8601 (default: the last 24 h). Buckets are aligned to the epoch (UTC); at most 10 000 points.',
        params: SensorIdParams,
        querystring: HistoryQuery,
        response: { 200: ok(HistoryResponse, 'The buckets that hold readings, oldest first.'), ...fails('EASYGAS_RANGE_INVALID', 'EASYGAS_NOT_FOUND') },
      },
    },
    async (request) => {
      const sensor = await owned(currentUser(request).id, request.params.id);
      const range = resolveRange(request.query, clock.now());
      if (!range.ok) throw apiError('EASYGAS_RANGE_INVALID', { reason: range.reason });
      const points = await repo.readings.history(sensor.key, range.from, range.to, range.bucketMs);
      return { sensorId: sensor.id, unit: sensor.unit, from: range.from, to: range.to, bucketMs: range.bucketMs, points };
    },
  );

  app.get(
    '/api/sensors/analytics',
    {
      onRequest: ctx.userAuth,
      schema: {
        tags: ['sensors'],
        summary: 'Consumption per day (refills ignored) and days-to-empty at the recent rate, for a level sensor',
        operationId: 'getConsumptionAnalytics',
        description: 'Days are calendar days in `tz` (default UTC); the rate is measured over the last 7 days (or the days available).',
        querystring: AnalyticsQuery,
        response: {
          200: ok(AnalyticsResponse, 'Use per day, the recent rate and days to empty (null when the level is not falling).'),
          ...fails('EASYGAS_NOT_A_LEVEL_SENSOR', 'EASYGAS_NOT_FOUND'),
        },
      },
    },
    async (request) => {
      const sensor = await owned(currentUser(request).id, request.query.sensorId);
      if (sensor.kind !== 'level') throw apiError('EASYGAS_NOT_A_LEVEL_SENSOR', { id: sensor.id, kind: sensor.kind });
      const timeZone = request.query.tz ?? 'UTC';
      if (!isTimeZone(timeZone)) {
        const issue = { path: 'query.tz', message: 'must be an IANA time zone such as Europe/London or America/New_York' };
        throw apiError('EASYGAS_VALIDATION', { summary: `invalid query: query.tz: ${issue.message}` }, { issues: [issue] });
      }
      const now = clock.now();
      const days = request.query.days ?? 30;
      const firstDay = calendarDaysUntil(now, days, timeZone).starts[0] ?? now;
      // From a day before the window (so its first fall has a level to fall from), and at least a week (for the rate).
      const since = Math.min(firstDay, now - RATE_WINDOW_DAYS * DAY) - DAY;
      const points = await repo.readings.levelSeries(sensor.key, since, now + 1, HOUR);
      const result = analyseConsumption(points, { firstDay, days, now, timeZone, rateWindowDays: RATE_WINDOW_DAYS });
      return { sensorId: sensor.id, from: firstDay, to: now, timeZone, ...result };
    },
  );
}
