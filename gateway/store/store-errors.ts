/**
 * Errors the store raises and how it classifies the ones SQLite and the file
 * system raise, so the writer knows whether to retry, reopen or give up on a write.
 */

export type StoreErrorCode =
  /** The database was written by a newer easygas: refused, not altered. */
  | 'newer_schema'
  /** The data directory cannot be created or written. */
  | 'data_dir'
  /** Another process holds the database (a second easygas instance?). */
  | 'locked'
  /** The file is damaged and could not be moved aside. */
  | 'unrecoverable'
  /** The store is not open (closed, or could not be opened yet). */
  | 'unavailable';

export class StoreError extends Error {
  readonly code: StoreErrorCode;
  /** What the user should do next. */
  readonly hint: string;

  constructor(code: StoreErrorCode, message: string, hint: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
    this.hint = hint;
  }
}

/**
 * - corrupt: the file is damaged; move it aside and start a fresh one.
 * - unavailable: disk full, I/O error, read-only, locked: keep the data and retry.
 * - rejected: this particular write is wrong (constraint, bad value); retrying cannot help.
 */
export type WriteFailureKind = 'corrupt' | 'unavailable' | 'rejected';

/** SQLite's (extended) result code, or a Node errno, of an error. */
export function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

// File-system states, not faults of the data: the journal's writes fail with these too.
const UNAVAILABLE_ERRNOS = new Set([
  'ENOSPC', 'EROFS', 'EIO', 'EDQUOT', 'EACCES', 'EPERM', 'EBUSY', 'ENOENT', 'EISDIR', 'ENOTDIR', 'EMFILE', 'ENFILE',
  'EFBIG', 'ENOMEM', 'EAGAIN', 'journal_changed',
]);

export function isCorruption(err: unknown): boolean {
  const code = errorCode(err) ?? '';
  return code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB';
}

export function classifyWriteFailure(err: unknown): WriteFailureKind {
  const code = errorCode(err) ?? '';
  if (isCorruption(err)) return 'corrupt';
  if (
    /^SQLITE_(FULL|IOERR|READONLY|BUSY|LOCKED|CANTOPEN|PROTOCOL|NOMEM|INTERRUPT)/.test(code) ||
    UNAVAILABLE_ERRNOS.has(code) ||
    // Includes a database from a newer version: refused until the user acts; keep the data meanwhile.
    err instanceof StoreError
  ) {
    return 'unavailable';
  }
  return 'rejected';
}

export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = errorCode(err);
    return code !== undefined && !err.message.includes(code) ? `${err.message} (${code})` : err.message;
  }
  return String(err);
}
