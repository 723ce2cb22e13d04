/**
 * Who is signed in: the access token in memory (15 minutes), the refresh token in
 * localStorage (so a reload or a new tab stays signed in). Refresh tokens are single
 * use and a reused one signs the whole family out, so two tabs must never spend the
 * same one: refreshes run under a cross-tab lock (Web Locks) and always read the
 * newest stored token, which another tab may have just rotated.
 */
import type { Tokens, User } from './types.js';

export interface TokenStorage {
  read(): string | null;
  write(refreshToken: string | null): void;
  /** The access token too, so a reload within its 15 minutes needs no refresh round trip. */
  readAccess(): Access | null;
  writeAccess(access: Access | null): void;
}

/** Runs `task` while no other tab of this origin runs one under the same name. */
export type CrossTabLock = <T>(task: () => Promise<T>) => Promise<T>;

export interface Access {
  readonly token: string;
  /** Client clock; refreshed a little before. */
  readonly expiresAt: number;
}

const REFRESH_MARGIN_MS = 30_000;

export class Session {
  #access: Access | undefined;
  #user: User | undefined;
  readonly #listeners = new Set<() => void>();

  constructor(
    readonly storage: TokenStorage,
    readonly lock: CrossTabLock,
    private readonly now: () => number,
  ) {
    this.#access = storage.read() === null ? undefined : (storage.readAccess() ?? undefined);
  }

  get user(): User | undefined {
    return this.#user;
  }

  /** A usable access token, or undefined when it must be refreshed first. */
  get access(): string | undefined {
    // Another tab may have refreshed since: its token is as good as ours and newer.
    const stored = this.storage.readAccess();
    if (stored !== null && (this.#access === undefined || stored.expiresAt > this.#access.expiresAt)) this.#access = stored;
    const a = this.#access;
    return a !== undefined && a.expiresAt - REFRESH_MARGIN_MS > this.now() ? a.token : undefined;
  }

  get hasRefreshToken(): boolean {
    return this.storage.read() !== null;
  }

  signedIn(tokens: Tokens): void {
    this.#access = { token: tokens.accessToken, expiresAt: this.now() + tokens.expiresIn * 1000 };
    this.#user = tokens.user;
    this.storage.write(tokens.refreshToken);
    this.storage.writeAccess(this.#access);
    this.#emit();
  }

  setUser(user: User): void {
    this.#user = user;
    this.#emit();
  }

  clear(): void {
    const had = this.#user !== undefined || this.#access !== undefined || this.storage.read() !== null;
    this.#access = undefined;
    this.#user = undefined;
    this.storage.write(null);
    this.storage.writeAccess(null);
    if (had) this.#emit();
  }

  /** Forget the in-memory part only (another tab signed out: storage is already empty). */
  forget(): void {
    this.#access = undefined;
    this.#user = undefined;
    this.#emit();
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(): void {
    for (const l of this.#listeners) l();
  }
}

/** localStorage, or memory when it is unavailable (private mode, a blocked cookie policy). */
export function browserTokenStorage(key = 'easygas.refreshToken', accessKey = 'easygas.accessToken'): TokenStorage {
  const fallback = new Map<string, string>();
  const get = (k: string): string | null => {
    try {
      return globalThis.localStorage.getItem(k);
    } catch {
      return fallback.get(k) ?? null;
    }
  };
  const set = (k: string, value: string | null): void => {
    if (value === null) fallback.delete(k);
    else fallback.set(k, value);
    try {
      if (value === null) globalThis.localStorage.removeItem(k);
      else globalThis.localStorage.setItem(k, value);
    } catch {
      // memory only
    }
  };
  return {
    read: () => get(key),
    write: (value) => set(key, value),
    readAccess: () => {
      try {
        const a = JSON.parse(get(accessKey) ?? 'null') as Access | null;
        return a !== null && typeof a.token === 'string' && typeof a.expiresAt === 'number' ? a : null;
      } catch {
        return null;
      }
    },
    writeAccess: (access) => set(accessKey, access === null ? null : JSON.stringify(access)),
  };
}

export function browserLock(name = 'easygas.refresh'): CrossTabLock {
  return async <T>(task: () => Promise<T>): Promise<T> => {
    const locks = (globalThis.navigator as Navigator | undefined)?.locks;
    if (locks === undefined) return task();
    return locks.request(name, task);
  };
}
