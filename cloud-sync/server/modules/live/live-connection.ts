/**
 * One browser's live socket: unauthenticated until its first message (an access
 * token, checked like any request's), then subscribed to topics. Anything else
 * closes it with a code from live-protocol.ts. Sends are bounded: when more than
 * `maxQueueBytes` wait unread, the client is too slow and is dropped, so a stalled
 * browser never grows the server's memory.
 */
import type { WebSocket } from 'ws';
import type { Actor } from '../../auth/actor.js';
import type { ServerClock, ServerTimer } from '../../clock.js';
import type { LiveTopic } from '../../events/domain-events.js';
import { CLOSE, CLOSE_REASONS, parseClientMessage, type ClientMessage, type CloseCode, type ServerMessage } from './live-protocol.js';

export interface ConnectionLimits {
  /** The first message must arrive within this (default 10 s). */
  readonly authTimeoutMs: number;
  /** Bytes waiting to be sent beyond which the client is dropped (default 1 MiB). */
  readonly maxQueueBytes: number;
}

export interface ConnectionHooks {
  authenticate(token: string): Promise<Actor | undefined>;
  closed(connection: LiveConnection, code: number): void;
}

export class LiveConnection {
  user: Actor | undefined;
  readonly topics = new Set<LiveTopic>();
  /** Answered the last heartbeat ping. */
  alive = true;
  #authTimer: ServerTimer | undefined;
  #authenticating = false;
  #closed = false;

  constructor(
    readonly socket: WebSocket,
    private readonly clock: ServerClock,
    private readonly limits: ConnectionLimits,
    private readonly hooks: ConnectionHooks,
  ) {
    this.#authTimer = clock.setTimeout(() => this.close(CLOSE.AUTH_TIMEOUT), limits.authTimeoutMs);
    socket.on('message', (data, isBinary) => {
      this.#onMessage(parseClientMessage(data, isBinary)).catch(() => this.close(CLOSE.INTERNAL));
    });
    socket.on('pong', () => (this.alive = true));
    socket.on('close', (code) => this.#ended(code));
    // A protocol error (a frame over maxPayload: 1009, a bad frame: 1002) is followed by 'close'.
    socket.on('error', () => undefined);
  }

  get closed(): boolean {
    return this.#closed;
  }

  send(message: ServerMessage): void {
    if (this.#closed) return;
    const text = JSON.stringify(message);
    if (this.socket.bufferedAmount + text.length > this.limits.maxQueueBytes) {
      this.close(CLOSE.TOO_SLOW, { now: true });
      return;
    }
    this.socket.send(text);
  }

  /** Closes with the code and its reason; `now` drops the connection without waiting for the client's close frame (it reads nothing). */
  close(code: CloseCode, options: { readonly now?: boolean } = {}): void {
    if (this.#closed) return;
    this.socket.close(code, CLOSE_REASONS[code]);
    this.#ended(code);
    if (options.now === true) this.socket.terminate();
  }

  /** No pong since the last ping: the peer is gone without a word. */
  heartbeat(): void {
    if (!this.alive) {
      this.socket.terminate();
      return;
    }
    this.alive = false;
    this.socket.ping();
  }

  async #onMessage(message: ClientMessage | undefined): Promise<void> {
    if (this.#closed) return;
    if (message === undefined) {
      this.close(CLOSE.INVALID_MESSAGE);
      return;
    }
    if (this.user === undefined) {
      // Until authenticated, only one auth message is read; anything else, or a second one while checking, is refused.
      if (message.type !== 'auth' || this.#authenticating) {
        this.close(message.type === 'auth' ? CLOSE.INVALID_MESSAGE : CLOSE.AUTH_FAILED);
        return;
      }
      this.#authenticating = true;
      const user = await this.hooks.authenticate(message.token);
      if (this.#closed) return;
      if (user === undefined) {
        this.close(CLOSE.AUTH_FAILED);
        return;
      }
      this.#clearAuthTimer();
      this.user = user;
      for (const topic of message.topics ?? []) this.topics.add(topic);
      this.send({ type: 'ready', userId: user.userId, topics: [...this.topics] });
      return;
    }
    switch (message.type) {
      case 'auth':
        this.close(CLOSE.INVALID_MESSAGE);
        return;
      case 'subscribe':
      case 'unsubscribe':
        for (const topic of message.topics) {
          if (message.type === 'subscribe') this.topics.add(topic);
          else this.topics.delete(topic);
        }
        this.send({ type: 'subscribed', topics: [...this.topics] });
        return;
      case 'ping':
        this.send(message.id === undefined ? { type: 'pong' } : { type: 'pong', id: message.id });
        return;
    }
  }

  #clearAuthTimer(): void {
    if (this.#authTimer !== undefined) this.clock.clearTimeout(this.#authTimer);
    this.#authTimer = undefined;
  }

  #ended(code: number): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#clearAuthTimer();
    this.hooks.closed(this, code);
  }
}
