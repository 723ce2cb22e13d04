/** /api/sensors: the list, latest reading, bucketed history, consumption analytics. */
import { Type } from 'typebox';
import { currentActor } from '../../auth/actor.js';
import { requirePermission } from '../../auth/permissions.js';
import { userScope } from '../../auth/scopes.js';
import type { CloudApp } from '../../context.js';
import { fails, ok } from '../../api/answers.js';
import { SensorIdParams } from '../../api/common.js';
import { SensorView } from '../devices/schemas.js';
import { AnalyticsQuery, AnalyticsResponse, HistoryQuery, HistoryResponse, LatestResponse } from './schemas.js';
import { readingView, sensorView } from '../../api/views.js';
import { SensorsService } from './service.js';

const config = requirePermission('sensors:own');

/** Registered with the prefix /api/sensors. */
export const sensorsModule = userScope((app: CloudApp) => {
  const sensors = new SensorsService(app.cloud.repo, app.cloud.clock);

  app.get(
    '',
    {
      config,
      schema: {
        operationId: 'listSensors',
        tags: ['sensors'],
        summary: 'Every sensor of your gateways',
        description: 'Each sensor a gateway of yours has reported, with its health and when it last read. Its id is `<gatewayId>:<sensorId>`.',
        response: { 200: ok(Type.Array(SensorView), 'Your sensors.') },
      },
    },
    async (request) => (await sensors.list(currentActor(request))).map(sensorView),
  );

  app.get(
    '/:id/latest',
    {
      config,
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
      const { sensor, reading } = await sensors.latest(currentActor(request), request.params.id);
      return { sensor: sensorView(sensor), reading: reading === undefined ? null : readingView(reading) };
    },
  );

  app.get(
    '/:id/history',
    {
      config,
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
      const { sensor, ...history } = await sensors.history(currentActor(request), request.params.id, request.query);
      return { sensorId: sensor.id, unit: sensor.unit, ...history };
    },
  );

  app.get(
    '/analytics',
    {
      config,
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
      const timeZone = request.query.tz ?? 'UTC';
      const { sensor, ...result } = await sensors.analytics(currentActor(request), request.query.sensorId, request.query.days ?? 30, timeZone);
      return { sensorId: sensor.id, timeZone, ...result };
    },
  );
});
