/**
 * POST /api/backup {path, overwrite?}: a consistent copy of gateway.db written by the
 * daemon itself (it holds the database), through SQLite's online backup API in the
 * store's worker: sampling and alarms go on while it copies.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { apiError, type ControlApiContext } from '../control-api.js';

const bodySchema = z.strictObject({ path: z.string().min(2).max(4096), overwrite: z.boolean().optional() });
type BackupBody = z.infer<typeof bodySchema>;

export function backupRoutes(app: FastifyInstance, ctx: ControlApiContext): void {
  app.post<{ Body: BackupBody }>('/api/backup', { schema: { body: bodySchema } }, async (request, reply) => {
    const { path, overwrite = false } = request.body;
    if (!isAbsolute(path)) return reply.status(400).send(apiError('backup_path', `${path} is not an absolute path`, 'Give the backup file as an absolute path (easygas backup resolves it for you).'));
    if (!existsSync(dirname(path)) || !statSync(dirname(path)).isDirectory()) {
      return reply.status(400).send(apiError('backup_path', `the folder ${dirname(path)} does not exist`, 'Create it first, writable by the gateway’s service user.'));
    }
    if (existsSync(path) && !overwrite) return reply.status(409).send(apiError('backup_exists', `${path} already exists`, 'Choose a new file name, or replace it with --force.'));
    try {
      return await ctx.target.store.backup(path);
    } catch (err) {
      return reply.status(500).send(apiError('backup_failed', `the backup to ${path} failed: ${(err as Error).message}`, 'Check that the gateway’s service user can write there and that the disk has room.'));
    }
  });
}
