/** Picks the storage by URL: postgres:// (or postgresql://) → PostgreSQL, anything else → a SQLite file. */
import type { Repository } from './repository.js';
import { openSqliteRepository } from './sqlite/sqlite-repository.js';

export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

export async function openRepository(db: string, options: { readonly schema?: string; readonly now?: number } = {}): Promise<Repository> {
  if (!isPostgresUrl(db)) return openSqliteRepository(db, options.now);
  // Loaded only when asked for: a household's SQLite cloud on a Pi never pays for pg.
  const { openPostgresRepository } = await import('./postgres/pg-repository.js');
  return openPostgresRepository(db, options);
}
