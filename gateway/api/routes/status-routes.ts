/** GET /api/status: the whole picture (easygas status). GET /api/events: the event log. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ControlApiContext } from '../control-api.js';
import { queryInteger } from '../route-schemas.js';
import { statusView } from '../status-view.js';

export function statusRoutes(app: FastifyInstance, ctx: ControlApiContext): void {
  app.get('/api/status', async () => statusView(ctx.target, ctx.identity, ctx.clock));

  app.get<{ Querystring: { since?: number; limit?: number } }>(
    '/api/events',
    {
      schema: {
        querystring: z.strictObject({ since: queryInteger(0), limit: queryInteger(1, 10_000) }),
      },
    },
    async (request) => {
      const { since, limit } = request.query;
      return { events: await ctx.target.store.events({ ...(since !== undefined ? { since } : {}), ...(limit !== undefined ? { limit } : {}) }) };
    },
  );
}
