/**
 * better-sqlite3 is synchronous, the repository interface is not: the SQLite parts
 * are written as plain synchronous methods (so a transaction can never interleave
 * with another request's statements) and adapted here to return promises.
 */
export type SyncOf<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => R : T[K];
};

export function asyncOf<T extends object>(sync: SyncOf<T>): T {
  const out: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(sync as Record<string, unknown>)) {
    if (typeof member !== 'function') {
      out[name] = member;
      continue;
    }
    const fn = member as (...args: unknown[]) => unknown;
    out[name] = (...args: unknown[]): Promise<unknown> => {
      try {
        return Promise.resolve(fn.apply(sync, args));
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    };
  }
  return out as T;
}
