/**
 * The gateway's local control API (Fastify): built here, listened on by
 * serve-control-api.ts, so tests use app.inject() on a rig daemon. Everything the
 * `easygas` commands do to a running gateway goes through it, so a serial port or
 * bus is only ever opened by the daemon.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { passwordMatches } from './api-auth.js';
import type { CalibrationOverrides, ControlTarget, GatewayIdentity, SimulationControl } from './control-target.js';
import { zodSchemaController } from './route-schemas.js';
import { alarmRoutes } from './routes/alarm-routes.js';
import { calibrationRoutes } from './routes/calibration-routes.js';
import { metricsRoutes } from './routes/metrics-routes.js';
import { pageRoutes } from './routes/page-routes.js';
import { sensorRoutes } from './routes/sensor-routes.js';
import { simulationRoutes } from './routes/simulation-routes.js';
import { statusRoutes } from './routes/status-routes.js';
import { syncRoutes } from './routes/sync-routes.js';
import { backupRoutes } from './routes/backup-routes.js';
import type { ViewClock } from './status-view.js';

export interface ControlApiOptions {
  readonly target: ControlTarget;
  readonly identity: GatewayIdentity;
  readonly clock: ViewClock;
  /** Required by the config for a non-loopback bind; every route but /healthz then asks for it. */
  readonly password?: string;
  readonly calibrations?: CalibrationOverrides;
  readonly simulation?: SimulationControl;
}

/** What every route module receives. */
export type ControlApiContext = ControlApiOptions;

/** The JSON body of every error: what went wrong and what to do. */
export interface ApiError {
  readonly error: string;
  readonly message: string;
  readonly hint?: string;
}

export function apiError(error: string, message: string, hint?: string): ApiError {
  return { error, message, ...(hint !== undefined ? { hint } : {}) };
}

export function buildControlApi(options: ControlApiOptions): FastifyInstance {
  const app = Fastify({ logger: false, schemaController: zodSchemaController });
  const { password } = options;
  if (password !== undefined) {
    app.addHook('onRequest', async (request, reply) => {
      if (request.url === '/healthz') return;
      if (passwordMatches(request.headers.authorization, password)) return;
      // The Basic challenge makes a browser on the home network ask for the password.
      await reply
        .status(401)
        .header('www-authenticate', 'Basic realm="EasyGas gateway", charset="UTF-8"')
        .send(apiError('unauthorized', 'this gateway API needs its password', 'Send it as `Authorization: Bearer <api.password>` (the easygas CLI reads it from the config), or sign in with any user name.'));
    });
  }
  app.setErrorHandler(async (err: { statusCode?: number; validation?: unknown; message: string; code?: string }, _request, reply) => {
    const status = err.statusCode ?? 500;
    if (err.validation !== undefined) return reply.status(400).send(apiError('bad_request', err.message, 'See `easygas --help` or gateway/api/README.md for the request format.'));
    return reply.status(status).send(apiError(err.code ?? 'internal', err.message));
  });
  app.setNotFoundHandler(async (request, reply) =>
    reply.status(404).send(apiError('not_found', `no route ${request.method} ${request.url}`, 'GET /api lists the endpoints.')),
  );
  app.get('/healthz', (_request, reply) => reply.send({ ok: true }));
  app.get('/api', (_request, reply) => reply.send({ endpoints: ENDPOINTS }));
  statusRoutes(app, options);
  sensorRoutes(app, options);
  alarmRoutes(app, options);
  syncRoutes(app, options);
  backupRoutes(app, options);
  calibrationRoutes(app, options);
  pageRoutes(app, options);
  metricsRoutes(app, options);
  if (options.simulation !== undefined) simulationRoutes(app, options.simulation);
  return app;
}

export const ENDPOINTS = [
  'GET  /api/status',
  'GET  /api/sensors',
  'GET  /api/sensors/:id',
  'POST /api/sensors/:id/read',
  'GET  /api/sensors/:id/readings?since=&until=&limit=',
  'GET  /api/events?since=&limit=',
  'GET  /api/sensors/:id/calibration',
  'PUT  /api/sensors/:id/calibration',
  'DELETE /api/sensors/:id/calibration',
  'POST /api/alarms/silence',
  'POST /api/alarms/test',
  'GET  /api/sync',
  'POST /api/sync/now',
  'POST /api/backup {path, overwrite?} (a consistent copy of gateway.db)',
  'GET  / (status page)',
  'GET  /metrics (Prometheus)',
] as const;
