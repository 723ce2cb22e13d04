/**
 * Every live socket of this API process: takes WebSocket upgrades for GET /api/ws,
 * hands each committed domain event (from any process: the event bus) to the
 * sockets of the user it belongs to that subscribed to its topic, pings every
 * socket on the injected clock and drops the silent ones, closes a user's sockets
 * the moment their sessions end, and closes all of them on shutdown.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Actor } from '../../auth/actor.js';
import type { ServerClock, ServerTimer } from '../../clock.js';
import { topicOf, type DomainEvent } from '../../events/domain-events.js';
import type { EventBus } from '../../events/event-bus.js';
import type { CloudMetrics } from '../../metrics.js';
import { LiveConnection, type ConnectionLimits } from './live-connection.js';
import { CLOSE, eventMessage } from './live-protocol.js';

export interface LiveOptions {
  /** The first message (auth) must arrive within this (default 10 s). */
  readonly authTimeoutMs?: number;
  /** A ping this often; a socket that did not answer the previous one is dropped (default 30 s). */
  readonly heartbeatMs?: number;
  /** Unread bytes per socket beyond which the client is dropped as too slow (default 1 MiB). */
  readonly maxQueueBytes?: number;
  /** The largest frame a client may send (default 4 KiB): close 1009 beyond. */
  readonly maxMessageBytes?: number;
}

/** How long shutdown waits for clients to answer the close frame before cutting them off. */
const CLOSE_GRACE_MS = 1_000;

export class LiveHub {
  readonly #connections = new Set<LiveConnection>();
  readonly #server: WebSocketServer;
  readonly #limits: ConnectionLimits;
  readonly #unsubscribe: () => void;
  #heartbeat: ServerTimer | undefined;
  #closing = false;

  constructor(
    bus: EventBus,
    private readonly authenticate: (token: string) => Promise<Actor | undefined>,
    private readonly clock: ServerClock,
    private readonly metrics: CloudMetrics,
    private readonly logger: FastifyBaseLogger,
    private readonly options: LiveOptions = {},
  ) {
    this.#limits = { authTimeoutMs: options.authTimeoutMs ?? 10_000, maxQueueBytes: options.maxQueueBytes ?? 1024 * 1024 };
    this.#server = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes ?? 4096, perMessageDeflate: false });
    this.#unsubscribe = bus.subscribe((event) => this.#deliver(event));
    this.#scheduleHeartbeat();
  }

  /** Sockets open now (authenticated or not). */
  get size(): number {
    return this.#connections.size;
  }

  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.#closing) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 1\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.#server.handleUpgrade(request, socket, head, (ws) => this.#accept(ws));
  }

  async close(): Promise<void> {
    this.#closing = true;
    this.#unsubscribe();
    if (this.#heartbeat !== undefined) this.clock.clearTimeout(this.#heartbeat);
    const open = [...this.#connections];
    const ended = Promise.all(open.map((c) => new Promise<void>((resolve) => (c.socket.readyState === c.socket.CLOSED ? resolve() : c.socket.once('close', () => resolve())))));
    for (const c of open) c.close(CLOSE.GOING_AWAY);
    // I/O, not logic: a real timer, so a test's manual clock never holds shutdown.
    await Promise.race([ended, delay(CLOSE_GRACE_MS, undefined, { ref: false })]);
    for (const c of open) c.socket.terminate();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(ws: WebSocket): void {
    const connection = new LiveConnection(ws, this.clock, this.#limits, {
      authenticate: (token) => this.authenticate(token),
      closed: (c, code) => {
        this.#connections.delete(c);
        this.metrics.liveSockets.inc({ code: String(code) });
      },
    });
    this.#connections.add(connection);
  }

  #deliver(event: DomainEvent): void {
    if (event.type === 'access.revoked') {
      for (const c of this.#connections) if (c.user?.userId === event.userId) c.close(CLOSE.SESSION_REVOKED);
      return;
    }
    const topic = topicOf(event);
    if (topic === undefined) return;
    let message: ReturnType<typeof eventMessage> | undefined;
    for (const c of this.#connections) {
      if (c.user?.userId !== event.userId || !c.topics.has(topic)) continue;
      message ??= eventMessage(topic, event);
      c.send(message);
    }
  }

  #scheduleHeartbeat(): void {
    this.#heartbeat = this.clock.setTimeout(() => {
      for (const c of this.#connections) c.heartbeat();
      if (!this.#closing) this.#scheduleHeartbeat();
    }, this.options.heartbeatMs ?? 30_000);
  }
}
