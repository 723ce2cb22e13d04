/** Cloud sync: its status (or "disabled" with the local backlog) and an upload now. */
import type { FastifyInstance } from 'fastify';
import { apiError, type ControlApiContext } from '../control-api.js';
import { syncStatusOf } from '../status-view.js';

export function syncRoutes(app: FastifyInstance, ctx: ControlApiContext): void {
  const { target } = ctx;
  app.get('/api/sync', async () => syncStatusOf(target));

  app.post('/api/sync/now', async (_request, reply) => {
    if (target.sync === undefined) {
      return reply
        .status(409)
        .send(apiError('sync_disabled', 'cloud sync is not running on this gateway', 'The config says cloud.enabled: false: remove that line and restart the gateway (and provision it with `easygas provision --cloud URL --code CODE` if it is not yet).'));
    }
    await target.sync.syncNow();
    return target.sync.status();
  });
}
