/**
 * Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff
 * And Jitter"): the n-th retry waits a uniform random time in [0, min(cap, base·2ⁿ)].
 * Full jitter spreads a fleet of gateways that lost the cloud at the same moment,
 * so they do not all come back in the same second.
 */
export interface BackoffOptions {
  /** The first retry's ceiling. Default 500 ms. */
  readonly baseMs?: number;
  /** The largest wait. Default 60 s. */
  readonly capMs?: number;
  /** A uniform random number in [0, 1); injected for tests. */
  readonly random?: () => number;
}

export class Backoff {
  readonly #base: number;
  readonly #cap: number;
  readonly #random: () => number;
  #attempt = 0;

  constructor(options: BackoffOptions = {}) {
    this.#base = options.baseMs ?? 500;
    this.#cap = options.capMs ?? 60_000;
    this.#random = options.random ?? Math.random;
  }

  /** Failures in a row so far. */
  get attempt(): number {
    return this.#attempt;
  }

  /** The wait before the next try; `capMs` lowers the ceiling for this one wait (a cheap failure). */
  next(capMs: number = this.#cap): number {
    const wait = backoffDelay(this.#attempt, { baseMs: this.#base, capMs: Math.min(capMs, this.#cap), random: this.#random });
    this.#attempt++;
    return wait;
  }

  /** After a success. */
  reset(): void {
    this.#attempt = 0;
  }
}

/**
 * Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP date. Returns ms, or
 * undefined when absent or unreadable. Capped so a wrong header cannot park the
 * gateway for a day.
 */
export function parseRetryAfter(value: unknown, now: number, capMs = 600_000): number | undefined {
  const text = Array.isArray(value) ? (value as unknown[])[0] : value;
  if (typeof text !== 'string' && typeof text !== 'number') return undefined;
  const s = String(text).trim();
  if (/^\d+$/.test(s)) return Math.min(Number(s) * 1000, capMs);
  const date = Date.parse(s);
  if (Number.isNaN(date)) return undefined;
  return Math.min(Math.max(0, date - now), capMs);
}

/** The wait before retry number `attempt` (0 for the first), for a caller that keeps the count itself (the cloud's outbox keeps it in its row). */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const ceiling = Math.min(options.capMs ?? 60_000, (options.baseMs ?? 500) * 2 ** Math.min(Math.max(0, attempt), 30));
  return Math.floor((options.random ?? Math.random)() * ceiling);
}
