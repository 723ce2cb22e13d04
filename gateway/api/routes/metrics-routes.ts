/**
 * GET /metrics: the gateway in Prometheus' text format. Behind the same password as
 * every other route (only /healthz is open): the figures say whether anyone is home
 * and whether gas is leaking. The event-loop monitor starts at the first scrape and
 * stops with the API.
 */
import type { FastifyInstance } from 'fastify';
import { EventLoopLag } from '../../system/event-loop-lag.js';
import type { ControlApiContext } from '../control-api.js';
import { EXPOSITION_CONTENT_TYPE, renderExposition } from '../metrics/exposition.js';
import { gatewayMetrics } from '../metrics/gateway-metrics.js';

export function metricsRoutes(app: FastifyInstance, ctx: ControlApiContext): void {
  // Real time, even when the daemon's clock is simulated: lag is the process's own.
  const lag = new EventLoopLag({ now: () => performance.now() });
  app.addHook('onClose', (_instance, done) => {
    lag.stop();
    done();
  });
  app.get('/metrics', async (_request, reply) => {
    const figures = lag.read();
    const families = await gatewayMetrics({ target: ctx.target, identity: ctx.identity, clock: ctx.clock, ...(figures !== undefined ? { lag: figures } : {}) });
    return reply.header('content-type', EXPOSITION_CONTENT_TYPE).send(renderExposition(families));
  });
}
