/** How big the gateway's store is: SQLite's page accounting and the files beside it. */
import { statSync } from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';

export interface PageUsage {
  readonly pageSize: number;
  readonly pageCount: number;
  readonly freelistCount: number;
  /** (page_count − freelist_count) × page_size: what the data occupies, free pages excluded. */
  readonly usedBytes: number;
}

export function pageUsage(db: BetterSqlite3.Database): PageUsage {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pageCount = db.pragma('page_count', { simple: true }) as number;
  const freelistCount = db.pragma('freelist_count', { simple: true }) as number;
  return { pageSize, pageCount, freelistCount, usedBytes: (pageCount - freelistCount) * pageSize };
}

/** A file's size, 0 when it does not exist (a WAL between checkpoints, say). */
export function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
