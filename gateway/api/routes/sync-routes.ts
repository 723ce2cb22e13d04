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
        .send(apiError('sync_disabled', 'cloud sync is not running on this gateway', 'Provision it with `easygas provision --cloud URL --code CODE`, set cloud.enabled: true (and cloud.url) in the config, and restart the gateway.'));
    }
    await target.sync.syncNow();
    return target.sync.status();
  });
}
