/**
 * Where domain events go after a commit. `publish` hands an event to every
 * subscriber of every API process sharing the database: in process on SQLite
 * (one process), through PostgreSQL LISTEN/NOTIFY otherwise (pg-event-bus.ts).
 * A subscriber that throws is logged and never stops the others.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { DomainEvent } from './domain-events.js';

export type EventListener = (event: DomainEvent) => void;

export interface EventBus {
  /** Never throws: an event that cannot be relayed is logged (the change itself is committed). */
  publish(event: DomainEvent): void;
  /** Returns the unsubscribe. */
  subscribe(listener: EventListener): () => void;
  /** Resolves when the bus hears other processes' events (at once for the local bus). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** The subscribers of one process; both buses dispatch through it. */
export class Subscribers {
  readonly #listeners = new Set<EventListener>();

  constructor(private readonly logger: Pick<FastifyBaseLogger, 'error'>) {}

  add(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  dispatch(event: DomainEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger.error({ err: error, event: event.type }, 'domain event listener failed');
      }
    }
  }
}

/** One process: events go straight to its subscribers, on the next tick (never inside the publisher's call). */
export function localEventBus(logger: Pick<FastifyBaseLogger, 'error'>): EventBus {
  const subscribers = new Subscribers(logger);
  return {
    publish: (event) => queueMicrotask(() => subscribers.dispatch(event)),
    subscribe: (listener) => subscribers.add(listener),
    ready: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}
