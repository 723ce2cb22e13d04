/**
 * `easygas cloud [--port N] [--db FILE|postgres://…] [--host H]`: the cloud API in
 * the foreground, stopped cleanly by SIGTERM/SIGINT. The server is loaded only when
 * this command runs, so the gateway's own commands never load Fastify's cloud.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Writable } from 'node:stream';

export interface CloudCommandOptions {
  readonly port?: number;
  readonly db?: string;
  readonly host?: string;
}

export const DEFAULT_CLOUD_PORT = 8480;
export const DEFAULT_CLOUD_DB = '.data/cloud/cloud.db';

/** The database from --db, then $EASYGAS_CLOUD_DB, then a file under .data/ (SQLite). */
export function cloudDb(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const db = option ?? env.EASYGAS_CLOUD_DB ?? DEFAULT_CLOUD_DB;
  if (/^postgres(ql)?:\/\//.test(db)) return db;
  const file = resolve(db);
  mkdirSync(dirname(file), { recursive: true });
  return file;
}

/** Runs until a signal; resolves with the exit code. */
export async function runCloudCommand(options: CloudCommandOptions, io: { stderr: Writable } = { stderr: process.stderr }): Promise<number> {
  const { runCloud, CloudStartError } = await import('../../cloud-sync/server/main.js');
  const port = options.port ?? Number(process.env.EASYGAS_CLOUD_PORT ?? DEFAULT_CLOUD_PORT);
  let cloud: Awaited<ReturnType<typeof runCloud>>;
  try {
    cloud = await runCloud({ port, db: cloudDb(options.db), ...(options.host !== undefined && { host: options.host }) });
  } catch (error) {
    if (error instanceof CloudStartError) {
      io.stderr.write(`easygas cloud: ${error.message}\n  ${error.hint}\n`);
      return 1;
    }
    throw error;
  }
  await new Promise<void>((done) => {
    process.once('SIGTERM', done);
    process.once('SIGINT', done);
  });
  await cloud.close();
  return 0;
}
