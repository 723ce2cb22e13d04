/**
 * Sensors: the list with health and latest reading, a live read (raw and
 * calibrated) in the bus's turn, and the stored readings of a time range.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { apiError, type ControlApiContext } from '../control-api.js';
import { liveRead } from '../live-read.js';
import { idParams, queryInteger } from '../route-schemas.js';
import { statusView } from '../status-view.js';

export function unknownSensor(reply: FastifyReply, id: string): FastifyReply {
  return reply.status(404).send(apiError('unknown_sensor', `no sensor "${id}" on this gateway`, 'List them with `easygas sensors`.'));
}

export function sensorRoutes(app: FastifyInstance, ctx: ControlApiContext): void {
  const { target } = ctx;

  app.get('/api/sensors', async () => ({ sensors: (await statusView(target, ctx.identity, ctx.clock)).sensors }));

  app.get<{ Params: { id: string } }>('/api/sensors/:id', { schema: { params: idParams } }, async (request, reply) => {
    const sensor = (await statusView(target, ctx.identity, ctx.clock)).sensors.find((s) => s.id === request.params.id);
    return sensor ?? unknownSensor(reply, request.params.id);
  });

  app.post<{ Params: { id: string } }>('/api/sensors/:id/read', { schema: { params: idParams } }, async (request, reply) => {
    const { id } = request.params;
    const spec = target.hub.specOf(id);
    if (spec === undefined) return unknownSensor(reply, id);
    const sample = await target.readNow(id);
    if (sample === undefined) {
      return reply
        .status(409)
        .send(apiError('not_polled', `sensor "${id}" is not read by a bus poller here (a Wi-Fi node, or the daemon is stopping)`, 'Its latest reading is in `easygas sensors`.'));
    }
    return liveRead(spec, sample);
  });

  app.get<{ Params: { id: string }; Querystring: { since?: number; until?: number; limit?: number } }>(
    '/api/sensors/:id/readings',
    {
      schema: {
        params: idParams,
        querystring: z.strictObject({ since: queryInteger(0), until: queryInteger(0), limit: queryInteger(1, 100_000) }),
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (target.hub.specOf(id) === undefined) return unknownSensor(reply, id);
      const { since, until, limit } = request.query;
      const readings = await target.store.readingsFor(id, {
        ...(since !== undefined ? { since } : {}),
        ...(until !== undefined ? { until } : {}),
        ...(limit !== undefined ? { limit } : {}),
      });
      return { sensorId: id, readings };
    },
  );
}
