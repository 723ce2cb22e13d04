/**
 * Per-route rate limits (@fastify/rate-limit) on a store that reads the injected
 * clock, so windows can be tested without waiting. The store is in-process: behind
 * a load balancer each server counts its own share (see README, "Scaling out").
 */
import type { FastifyRequest } from 'fastify';
import type { ServerClock } from '../clock.js';
import type { RateLimit } from '../options.js';

interface Window {
  count: number;
  start: number;
}

type IncrCallback = (error: Error | null, result: { current: number; ttl: number }) => void;

/** A fixed-window counter per key, bounded in size (oldest keys go first). */
export function clockedStore(clock: ServerClock, maxKeys = 10_000) {
  return class ClockedStore {
    readonly #windows = new Map<string, Window>();

    incr(key: string, callback: IncrCallback, timeWindow: number): void {
      const now = clock.now();
      let window = this.#windows.get(key);
      if (window === undefined || now - window.start >= timeWindow) {
        window = { count: 0, start: now };
        this.#windows.delete(key);
        this.#windows.set(key, window);
        if (this.#windows.size > maxKeys) {
          const oldest = this.#windows.keys().next().value;
          if (oldest !== undefined) this.#windows.delete(oldest);
        }
      }
      window.count++;
      callback(null, { current: window.count, ttl: Math.max(0, timeWindow - (now - window.start)) });
    }

    child(): ClockedStore {
      return new ClockedStore();
    }
  };
}

export interface RouteRateLimit {
  readonly max: number;
  readonly timeWindow: number;
  readonly keyGenerator?: (request: FastifyRequest) => string;
  readonly groupId?: string;
  /** When the request is counted: at its arrival (default), or once its id and body have passed validation. */
  readonly hook?: 'onRequest' | 'preHandler';
}

/** Per client address: sign-in and registration, against password guessing and claim-code guessing. */
export function perAddress(limit: RateLimit, groupId: string): RouteRateLimit {
  return { max: limit.max, timeWindow: limit.windowMs, groupId };
}

/** Per gateway (from its credential, authenticated before this runs). */
export function perGateway(limit: RateLimit): RouteRateLimit {
  return { max: limit.max, timeWindow: limit.windowMs, keyGenerator: (request) => request.authGateway?.id ?? request.ip };
}

/** Per bearer token (a tank device's, before it is checked: a flood of bad tokens is limited per address). */
export function perBearer(limit: RateLimit): RouteRateLimit {
  return { max: limit.max, timeWindow: limit.windowMs, keyGenerator: (request) => request.headers.authorization ?? `ip:${request.ip}`, groupId: 'tank-device' };
}

/** Per signed-in user and the path's {id}: one of their things that costs a send each time (a channel's test). */
export function perActorAndId(limit: RateLimit, groupId: string): RouteRateLimit {
  return {
    max: limit.max,
    timeWindow: limit.windowMs,
    groupId,
    // Counted once the request is known good (signed in, allowed, a well-formed id): a refused one spends nothing.
    hook: 'preHandler',
    keyGenerator: (request) => `${request.actor?.userId ?? `ip:${request.ip}`}:${(request.params as { id?: string }).id ?? ''}`,
  };
}
