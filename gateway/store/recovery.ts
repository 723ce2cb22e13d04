/**
 * Opening the store so that a damaged file never keeps the gateway from storing
 * (the README's promise 4, "Self-healing"). A file that is not a database, fails quick_check, or
 * cannot be opened is moved aside (gateway.db → gateway.db.corrupt-<UTC time>, with
 * its -wal and -shm) and replaced by a fresh database that records a
 * store_recovered event; the caller gets a report to log. A database from a newer
 * easygas, a lock held by another process or a full disk are NOT damage: they are
 * reported as errors and the file is left alone.
 */
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Clock } from '../../hardware/clock.js';
import { GatewayStore, type GatewayStoreOptions } from './gateway-store.js';
import { StoreError, describeError, errorCode, isCorruption } from './store-errors.js';
import { DB_FILE_NAME } from './store-files.js';

export { DB_FILE_NAME };
const COMPANIONS = ['-wal', '-shm', '-journal'] as const;

export interface OpenStoreOptions extends GatewayStoreOptions {
  /** Stamps the moved-aside file's name and the store_recovered event. */
  readonly clock: Pick<Clock, 'now'>;
  /** Whether the wall clock is known to be right; stored on the store_recovered event. Default false. */
  readonly clockSynced?: boolean;
  /** Run integrity_check instead of quick_check (after SQLite reported corruption at run time). */
  readonly fullCheck?: boolean;
}

export interface RecoveryReport {
  readonly path: string;
  /** Why the file was replaced, in words. */
  readonly reason: string;
  /** SQLite's code when it gave one (SQLITE_NOTADB, SQLITE_CORRUPT, SQLITE_CANTOPEN). */
  readonly code?: string;
  /** Where the old database went; its -wal/-shm sit beside it with the same suffixes. */
  readonly movedTo: string;
  readonly movedFiles: readonly string[];
  /** The seq of the store_recovered event in the fresh database. */
  readonly eventSeq: number;
}

export interface OpenedStore {
  readonly store: GatewayStore;
  /** Present when the old file was damaged and replaced. */
  readonly recovery?: RecoveryReport;
}

interface Damage {
  readonly reason: string;
  readonly code?: string;
}

/** Opens `<dataDir>/gateway.db`, replacing it when damaged. Throws StoreError or SqliteError otherwise. */
export function openGatewayStore(dataDir: string, options: OpenStoreOptions): OpenedStore {
  ensureDataDir(dataDir);
  const path = join(dataDir, DB_FILE_NAME);
  const damage = inspect(path, options.fullCheck === true);
  if (damage === undefined) {
    try {
      return { store: GatewayStore.open(path, options) };
    } catch (err) {
      if (!isDamage(err)) throw explain(err, path);
      return replace(path, { reason: describeError(err), ...codeOf(err) }, options);
    }
  }
  return replace(path, damage, options);
}

/**
 * Damage found by checking the file's pages; undefined when sound, absent, or not
 * judged here. Read-only, so a damaged file's -wal is neither checkpointed into it
 * nor deleted: it goes aside with the file, as evidence and for salvage.
 */
function inspect(path: string, full: boolean): Damage | undefined {
  if (!existsSync(path)) return undefined;
  if (!statSync(path).isFile()) return { reason: `${path} is not a regular file`, code: 'SQLITE_CANTOPEN' };
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true, timeout: 5000 });
    const rows = db.pragma(full ? 'integrity_check(10)' : 'quick_check(10)', { simple: false }) as Record<string, string>[];
    const messages = rows.map((row) => Object.values(row)[0] ?? '');
    if (messages.length === 1 && messages[0] === 'ok') return undefined;
    return { reason: `${full ? 'integrity' : 'quick'}_check failed: ${messages.join('; ')}`, code: 'SQLITE_CORRUPT' };
  } catch (err) {
    if (isCorruption(err)) return { reason: describeError(err), ...codeOf(err) };
    // Cannot open read-only (a directory, no -shm allowed): the read-write open decides.
    if (errorCode(err) === 'SQLITE_CANTOPEN') return undefined;
    throw explain(err, path);
  } finally {
    db?.close();
  }
}

/** Damage we replace: corruption, or a path SQLite cannot open at all (a directory, garbage). */
function isDamage(err: unknown): boolean {
  return isCorruption(err) || errorCode(err) === 'SQLITE_CANTOPEN';
}

function replace(path: string, damage: Damage, options: OpenStoreOptions): OpenedStore {
  const movedTo = asidePath(path, options.clock.now());
  const movedFiles: string[] = [];
  try {
    if (existsSync(path)) {
      renameSync(path, movedTo);
      movedFiles.push(movedTo);
    }
    for (const suffix of COMPANIONS) {
      if (existsSync(`${path}${suffix}`)) {
        renameSync(`${path}${suffix}`, `${movedTo}${suffix}`);
        movedFiles.push(`${movedTo}${suffix}`);
      }
    }
  } catch (err) {
    throw new StoreError(
      'unrecoverable',
      `${path} is damaged (${damage.reason}) and could not be moved aside: ${describeError(err)}`,
      `Make the data directory writable by the user that runs easygas, or move ${path} away by hand.`,
      { cause: err },
    );
  }
  const store = GatewayStore.open(path, options);
  const reason = damage.reason;
  const eventSeq = store.appendEvent({
    type: 'store_recovered',
    at: options.clock.now(),
    clockSynced: options.clockSynced ?? false,
    severity: 'warning',
    message:
      `The database was damaged (${reason}); it was moved to ${movedTo} and a fresh one started. ` +
      'Readings not yet sent to the cloud before this remain in the old file.',
    data: { movedTo, movedFiles, reason, ...(damage.code !== undefined && { code: damage.code }) },
  });
  store.addCounters({ recoveries: 1 });
  return { store, recovery: { path, reason, ...codeOf(damage), movedTo, movedFiles, eventSeq } };
}

/** gateway.db.corrupt-20260101T000000Z, with -2, -3… when that name is taken. */
export function asidePath(path: string, nowMs: number): string {
  const stamp = new Date(nowMs).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const base = `${path}.corrupt-${stamp}`;
  let candidate = base;
  for (let n = 2; existsSync(candidate) || COMPANIONS.some((s) => existsSync(`${candidate}${s}`)); n++) {
    candidate = `${base}-${n}`;
  }
  return candidate;
}

function ensureDataDir(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (err) {
    throw new StoreError(
      'data_dir',
      `cannot create the data directory ${dataDir}: ${describeError(err)}`,
      `Create it and give it to the user that runs easygas (sudo mkdir -p ${dataDir} && sudo chown <user> ${dataDir}), ` +
        'or pass --data-dir with a writable directory.',
      { cause: err },
    );
  }
}

/** Turns the errors a user can fix into StoreErrors with a hint; passes the rest through. */
function explain(err: unknown, path: string): unknown {
  const code = errorCode(err) ?? '';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StoreError(
      'locked',
      `${path} is locked by another process`,
      'Another easygas (or sqlite3 shell) has the database open: stop it (systemctl status easygas), then retry.',
      { cause: err },
    );
  }
  return err;
}

function codeOf(source: unknown): { code?: string } {
  const code = errorCode(source);
  return code !== undefined ? { code } : {};
}
