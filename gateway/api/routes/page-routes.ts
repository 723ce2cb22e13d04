/** GET /: the homeowner's status page (HTML). */
import type { FastifyInstance } from 'fastify';
import type { ControlApiContext } from '../control-api.js';
import { renderStatusPage } from '../status-page.js';
import { statusView } from '../status-view.js';

export function pageRoutes(app: FastifyInstance, ctx: ControlApiContext): void {
  app.get('/', async (_request, reply) => {
    const view = await statusView(ctx.target, ctx.identity, ctx.clock);
    return reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(renderStatusPage(view));
  });
}
