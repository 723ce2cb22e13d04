/**
 * `easygas backup FILE [--force]`: a consistent copy of the running gateway's
 * gateway.db, written by the daemon (it holds the database) with SQLite's online
 * backup API while it keeps sampling, alarming and storing.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BackupResult } from '../store/store-service.js';
import { CliError, printJson, type CliIo } from './cli-io.js';
import { connectToGateway } from './connect.js';
import type { ReadOptions } from './read-commands.js';

export interface BackupOptions extends ReadOptions {
  readonly force?: boolean;
}

export async function backupCommand(file: string, options: BackupOptions, io: CliIo, env?: NodeJS.ProcessEnv): Promise<number> {
  const path = resolve(file);
  if (existsSync(path) && options.force !== true) throw new CliError(`${path} already exists`, 'Choose a new file name, or replace it with --force.', 1);
  const api = await connectToGateway(options, env);
  const result = await api.post<BackupResult>('/api/backup', { path, overwrite: options.force === true });
  if (options.json === true) printJson(io, result);
  else io.stdout.write(`Backed up gateway.db to ${result.path}: ${(result.bytes / 1e6).toFixed(1)} MB, records up to seq ${result.lastSeq}.\n`);
  return 0;
}
