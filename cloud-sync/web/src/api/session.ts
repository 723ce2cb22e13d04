/**
 * Who is signed in. The access token (15 minutes) lives only in this page's memory;
 * the refresh token is an HttpOnly cookie the page never sees, sent only to
 * /api/auth/session/* (the server's browser-session.ts). What the page keeps in
 * localStorage is a marker, not a secret: "this browser has a session" — so a new
 * tab knows to renew it, and a sign-out in one tab reaches the others. Refresh
 * tokens are single use and a reused one signs the whole family out, so two tabs
 * must never renew at once: refreshes run under a cross-tab lock (Web Locks); the
 * shared cookie jar always holds the newest token.
 */
import type { Tokens, User } from './types.js';

/** Whether this browser has a session: a marker shared by the tabs of this origin. */
export interface SessionMarker {
  read(): boolean;
  write(present: boolean): void;
}

/** Runs `task` while no other tab of this origin runs one under the same name. */
export type CrossTabLock = <T>(task: () => Promise<T>) => Promise<T>;

interface Access {
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
    readonly marker: SessionMarker,
    readonly lock: CrossTabLock,
    private readonly now: () => number,
  ) {}

  get user(): User | undefined {
    return this.#user;
  }

  /** A usable access token, or undefined when it must be refreshed first. */
  get access(): string | undefined {
    const a = this.#access;
    return a !== undefined && a.expiresAt - REFRESH_MARGIN_MS > this.now() ? a.token : undefined;
  }

  /** This browser holds a session cookie (as far as the page knows: the server decides). */
  get hasSession(): boolean {
    return this.marker.read();
  }

  signedIn(tokens: Tokens): void {
    this.#access = { token: tokens.accessToken, expiresAt: this.now() + tokens.expiresIn * 1000 };
    this.#user = tokens.user;
    this.marker.write(true);
    this.#emit();
  }

  setUser(user: User): void {
    this.#user = user;
    this.#emit();
  }

  clear(): void {
    const had = this.#user !== undefined || this.#access !== undefined || this.marker.read();
    this.#access = undefined;
    this.#user = undefined;
    this.marker.write(false);
    if (had) this.#emit();
  }

  /** Forget the in-memory part only (another tab signed out: the marker is already gone). */
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

export const SESSION_MARKER_KEY = 'easygas.session';

/** localStorage, or memory when it is unavailable (private mode, a blocked storage policy). */
export function browserSessionMarker(key = SESSION_MARKER_KEY): SessionMarker {
  let fallback = false;
  return {
    read: () => {
      try {
        return globalThis.localStorage.getItem(key) === '1';
      } catch {
        return fallback;
      }
    },
    write: (present) => {
      fallback = present;
      try {
        if (present) globalThis.localStorage.setItem(key, '1');
        else globalThis.localStorage.removeItem(key);
      } catch {
        // memory only
      }
    },
  };
}

/** Earlier versions kept the tokens themselves in localStorage: wipe them, they are secrets. */
export function forgetStoredTokens(): void {
  try {
    for (const key of ['easygas.refreshToken', 'easygas.accessToken']) globalThis.localStorage.removeItem(key);
  } catch {
    // no storage, nothing kept
  }
}

export function browserLock(name = 'easygas.refresh'): CrossTabLock {
  return async <T>(task: () => Promise<T>): Promise<T> => {
    const locks = (globalThis.navigator as Navigator | undefined)?.locks;
    if (locks === undefined) return task();
    return locks.request(name, task);
  };
}
