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
  /** "365d", "90d", "off" (keep raw readings for ever). */
  readonly rawRetention?: string;
  readonly pgPool?: number;
  readonly pgReadPool?: number;
  /** "15s": a long read (history, analytics) on PostgreSQL is cancelled after this. */
  readonly readTimeout?: string;
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** "90d", "12h", "15s" or milliseconds; undefined when it is none of those. */
export function parseDurationArg(text: string): number | undefined {
  const match = /^(\d{1,9})(ms|s|m|h|d|w)?$/.exec(text.trim());
  return match === null ? undefined : Number(match[1]) * (UNIT_MS[match[2] ?? 'ms'] ?? 1);
}

export interface CloudStorageSettings {
  readonly rawRetentionMs?: number | null;
  readonly pools?: { readonly size?: number; readonly readSize?: number; readonly readTimeoutMs?: number };
}

/** Retention and pool settings from the flags, then $EASYGAS_CLOUD_RAW_RETENTION, _PG_POOL, _PG_READ_POOL, _READ_TIMEOUT. */
export function cloudStorageSettings(options: CloudCommandOptions, env: NodeJS.ProcessEnv = process.env): CloudStorageSettings | string {
  const retention = options.rawRetention ?? env.EASYGAS_CLOUD_RAW_RETENTION;
  let rawRetentionMs: number | null | undefined;
  if (retention !== undefined) {
    rawRetentionMs = retention.trim() === 'off' ? null : parseDurationArg(retention);
    if (rawRetentionMs === undefined || rawRetentionMs === 0) return `--raw-retention "${retention}" is not a duration: use e.g. 365d, 90d, or off to keep raw readings for ever`;
  }
  const count = (flag: string, value: number | undefined, text: string | undefined): number | undefined | string => {
    const n = value ?? (text === undefined ? undefined : Number(text));
    return n === undefined || (Number.isInteger(n) && n >= 1 && n <= 1000) ? n : `${flag} "${String(value ?? text)}" must be a whole number of connections, 1–1000`;
  };
  const size = count('--pg-pool', options.pgPool, env.EASYGAS_CLOUD_PG_POOL);
  const readSize = count('--pg-read-pool', options.pgReadPool, env.EASYGAS_CLOUD_PG_READ_POOL);
  if (typeof size === 'string') return size;
  if (typeof readSize === 'string') return readSize;
  const timeoutText = options.readTimeout ?? env.EASYGAS_CLOUD_READ_TIMEOUT;
  const readTimeoutMs = timeoutText === undefined ? undefined : parseDurationArg(timeoutText);
  if (timeoutText !== undefined && (readTimeoutMs === undefined || readTimeoutMs < 100)) return `--read-timeout "${timeoutText}" is not a duration of 100ms or more: use e.g. 15s`;
  const pools = { ...(size === undefined ? {} : { size }), ...(readSize === undefined ? {} : { readSize }), ...(readTimeoutMs === undefined ? {} : { readTimeoutMs }) };
  return { ...(rawRetentionMs === undefined ? {} : { rawRetentionMs }), ...(Object.keys(pools).length === 0 ? {} : { pools }) };
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
  const storage = cloudStorageSettings(options);
  if (typeof storage === 'string') {
    io.stderr.write(`easygas cloud: ${storage}\n`);
    return 64;
  }
  let cloud: Awaited<ReturnType<typeof runCloud>>;
  try {
    cloud = await runCloud({ port, db: cloudDb(options.db), ...(options.host !== undefined && { host: options.host }), overrides: storage });
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
