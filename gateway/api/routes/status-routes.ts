/** GET /api/status: the whole picture (easygas status). GET /api/events: the event log. */
import type { FastifyInstance } from 'fastify';
import type { ControlApiContext } from '../control-api.js';
import { statusView } from '../status-view.js';

export function statusRoutes(app: FastifyInstance, ctx: ControlApiContext): void {
  app.get('/api/status', async () => statusView(ctx.target, ctx.identity, ctx.clock));

  app.get<{ Querystring: { since?: number; limit?: number } }>(
    '/api/events',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: { since: { type: 'integer', minimum: 0 }, limit: { type: 'integer', minimum: 1, maximum: 10_000 } },
          additionalProperties: false,
        },
      },
    },
    async (request) => {
      const { since, limit } = request.query;
      return { events: await ctx.target.store.events({ ...(since !== undefined ? { since } : {}), ...(limit !== undefined ? { limit } : {}) }) };
    },
  );
}
