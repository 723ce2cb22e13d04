/**
 * Domain events across API processes on one PostgreSQL: LISTEN/NOTIFY on one
 * dedicated connection. Every process (the publisher too) hears each event
 * through the database, so all of them dispatch in the same way and order. The
 * channel carries the schema's name, so tests in separate schemas of one database
 * do not hear each other. A NOTIFY payload holds at most 8,000 bytes: a big batch's
 * readings go as several events. The connection is remade with the one back-off
 * when PostgreSQL restarts; events of the gap are lost to live push only (the
 * data is committed; a browser reloads what it shows when its socket comes back).
 */
import type { FastifyBaseLogger } from 'fastify';
import pg from 'pg';
import { Backoff } from '../../client/backoff.js';
import type { ServerClock, ServerTimer } from '../clock.js';
import type { DomainEvent } from './domain-events.js';
import { Subscribers, type EventBus } from './event-bus.js';

/** Below PostgreSQL's 8,000-byte NOTIFY limit, with room for multi-byte characters. */
const MAX_PAYLOAD_BYTES = 7_500;

export function channelName(schema: string | undefined): string {
  return schema === undefined ? 'easygas_events' : `easygas_events_${schema}`;
}

/** The event as NOTIFY payloads: one, or (a big batch's readings) several; none when it cannot fit. */
export function payloads(event: DomainEvent): string[] {
  const text = JSON.stringify(event);
  if (Buffer.byteLength(text) <= MAX_PAYLOAD_BYTES) return [text];
  if (event.type === 'readings.ingested' && event.readings.length > 1) {
    const half = Math.ceil(event.readings.length / 2);
    return [...payloads({ ...event, readings: event.readings.slice(0, half) }), ...payloads({ ...event, stored: 0, readings: event.readings.slice(half) })];
  }
  return [];
}

export function pgEventBus(url: string, schema: string | undefined, clock: ServerClock, logger: FastifyBaseLogger): EventBus {
  const channel = channelName(schema);
  const subscribers = new Subscribers(logger);
  const backoff = new Backoff({ baseMs: 200, capMs: 10_000 });
  let client: pg.Client | undefined;
  let connecting: Promise<void> | undefined;
  let retry: ServerTimer | undefined;
  let closed = false;
  let sending: Promise<void> = Promise.resolve();

  function onNotification(message: pg.Notification): void {
    if (message.channel !== channel || message.payload === undefined) return;
    let event: DomainEvent;
    try {
      event = JSON.parse(message.payload) as DomainEvent;
    } catch (error) {
      logger.error({ err: error }, 'unreadable domain event on the NOTIFY channel');
      return;
    }
    subscribers.dispatch(event);
  }

  function reconnectLater(): void {
    if (closed || retry !== undefined) return;
    const wait = backoff.next();
    retry = clock.setTimeout(() => {
      retry = undefined;
      connect().catch(() => undefined);
    }, wait);
  }

  function connect(): Promise<void> {
    connecting ??= (async () => {
      const next = new pg.Client({ connectionString: url });
      next.on('error', (error) => {
        logger.warn({ err: error }, 'domain event connection lost; reconnecting');
        if (client === next) client = undefined;
        next.end().catch(() => undefined);
        reconnectLater();
      });
      next.on('notification', onNotification);
      try {
        await next.connect();
        await next.query(`LISTEN ${channel}`);
      } catch (error) {
        await next.end().catch(() => undefined);
        logger.warn({ err: error }, 'cannot listen for domain events; retrying');
        reconnectLater();
        throw error;
      }
      if (closed) {
        await next.end().catch(() => undefined);
        return;
      }
      backoff.reset();
      client = next;
    })().finally(() => (connecting = undefined));
    return connecting;
  }

  const first = connect();
  first.catch(() => undefined);

  return {
    publish(event) {
      const texts = payloads(event);
      if (texts.length === 0) logger.error({ event: event.type }, 'domain event too large for NOTIFY; not relayed');
      const target = client;
      if (target === undefined) {
        // Not listening right now: this process's own sockets still hear it.
        queueMicrotask(() => subscribers.dispatch(event));
        return;
      }
      for (const text of texts) {
        // One query at a time on the connection (pg queues them, but asks callers to).
        sending = sending
          .then(() => target.query('SELECT pg_notify($1, $2)', [channel, text]))
          .then(
            () => undefined,
            (error: unknown) => logger.warn({ err: error, event: event.type }, 'domain event not relayed'),
          );
      }
    },
    subscribe: (listener) => subscribers.add(listener),
    // A first LISTEN that fails is retried in the background: the API serves meanwhile (its own events still reach its sockets).
    ready: () => first.catch(() => undefined),
    async close() {
      closed = true;
      if (retry !== undefined) clock.clearTimeout(retry);
      await connecting?.catch(() => undefined);
      await sending;
      await client?.end().catch(() => undefined);
      client = undefined;
    },
  };
}
