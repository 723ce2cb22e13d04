/**
 * `easygas restore FILE`: puts a backup (from `easygas backup`) in place of the
 * stopped gateway's gateway.db. Only with no daemon running (it holds the file).
 * FILE is checked first (integrity_check, the store's tables, a schema this
 * easygas knows); nothing is destroyed: the current database is kept as
 * gateway.db.before-restore (with its -wal/-shm), readings.journal (readings of the
 * old database not yet moved into it) beside it, and the copy arrives by rename, so
 * gateway.db is at every moment either the old file or the whole new one.
 * gateway.db.seq.json stays: the restored database continues after every seq ever
 * used, so the cloud never takes a new reading for a duplicate of an old one.
 */
import { copyFileSync, existsSync, linkSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EXIT_DATA_ERR, EXIT_UNAVAILABLE } from '../errors.js';
import { fsyncPath } from '../store/seq-reservation.js';
import { CliError, printJson, type CliIo } from './cli-io.js';
import { locateGateway, runningDaemon } from './gateway-locator.js';
import type { ReadOptions } from './read-commands.js';

const COMPANIONS = ['-wal', '-shm'] as const;
const JOURNAL = 'readings.journal';

export interface RestoreResult {
  readonly path: string;
  readonly from: string;
  readonly bytes: number;
  readonly lastSeq: number;
  /** Where the previous gateway.db (and its companions) went; absent when there was none. */
  readonly previous?: string;
  readonly movedFiles: readonly string[];
}

export async function restoreCommand(file: string, options: ReadOptions, io: CliIo, env?: NodeJS.ProcessEnv): Promise<number> {
  const located = await locateGateway(options, env);
  const daemon = runningDaemon(located);
  if (daemon !== undefined) {
    throw new CliError(
      `the gateway is running (pid ${daemon.pid}, ${daemon.url}): restore replaces the database it holds open`,
      'Stop it first (sudo systemctl stop easygas-gateway), restore, then start it again. To copy the live database instead, use easygas backup FILE.',
      EXIT_UNAVAILABLE,
    );
  }
  const from = resolve(file);
  const lastSeq = await validate(from);
  const result = install(from, located.dataDir, lastSeq);
  if (options.json === true) printJson(io, result);
  else {
    io.stdout.write(`Restored ${result.path} from ${from}: ${(result.bytes / 1e6).toFixed(1)} MB, records up to seq ${lastSeq}.\n`);
    if (result.movedFiles.length > 0) io.stdout.write(`Kept the previous files: ${result.movedFiles.join(', ')}.\n`);
    io.stdout.write('Start the gateway: sudo systemctl start easygas-gateway\n');
  }
  return 0;
}

/** The backup's last seq, or a CliError (exit 65) that says why FILE cannot be restored. */
async function validate(path: string): Promise<number> {
  const { gatewayDbProblem, integrityProblem, openReadOnly } = await import('../store/store-snapshot.js');
  const refuse = (why: string): CliError =>
    new CliError(`${path} cannot be restored: ${why}`, 'Give a file written by easygas backup; the gateway’s data was not touched.', EXIT_DATA_ERR);
  if (!existsSync(path)) throw refuse('it does not exist');
  if (!statSync(path).isFile()) throw refuse('it is not a regular file');
  let opened;
  try {
    opened = openReadOnly(path);
  } catch (err) {
    throw refuse(err instanceof Error ? err.message : String(err));
  }
  try {
    const db = opened.db;
    const problem = integrityProblem(db) ?? gatewayDbProblem(db);
    if (problem !== undefined) throw refuse(problem);
    return (db.prepare('SELECT max(seq) FROM (SELECT max(seq) AS seq FROM readings UNION ALL SELECT max(seq) FROM events)').pluck().get() as number | null) ?? 0;
  } catch (err) {
    throw err instanceof CliError ? err : refuse(err instanceof Error ? err.message : String(err));
  } finally {
    opened.close();
  }
}

function install(from: string, dataDir: string, lastSeq: number): RestoreResult {
  mkdirSync(dataDir, { recursive: true });
  const target = join(dataDir, 'gateway.db');
  const partial = `${target}.partial`;
  copyFileSync(from, partial);
  fsyncPath(partial);
  const movedFiles: string[] = [];
  const previous = freeName(`${target}.before-restore`);
  if (existsSync(target)) {
    linkSync(target, previous); // the old file keeps a name until the new one takes gateway.db
    movedFiles.push(previous);
  }
  // A -wal left by a killed daemon belongs to the old file; beside the new one SQLite would try to apply it.
  for (const suffix of COMPANIONS) movedFiles.push(...moveIfPresent(`${target}${suffix}`, `${previous}${suffix}`));
  movedFiles.push(...moveIfPresent(join(dataDir, JOURNAL), `${previous}.${JOURNAL}`));
  renameSync(partial, target);
  fsyncPath(dataDir);
  return { path: target, from, bytes: statSync(target).size, lastSeq, ...(movedFiles.length > 0 && { previous }), movedFiles };
}

function moveIfPresent(path: string, to: string): string[] {
  if (!existsSync(path)) return [];
  renameSync(path, to);
  return [to];
}

/** `base`, or base-2, base-3… when an earlier restore kept a file there. */
function freeName(base: string): string {
  let candidate = base;
  for (let n = 2; existsSync(candidate); n++) candidate = `${base}-${n}`;
  return candidate;
}
