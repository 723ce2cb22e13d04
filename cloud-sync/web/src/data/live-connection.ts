/**
 * The live socket's life: connect, report the status, and when the socket closes
 * (or goes quiet past the idle timeout) reconnect after an exponential back-off with
 * full jitter — the same back-off the gateways use — then refetch what may have been
 * missed meanwhile. The back-off resets only once a connection has stayed up a while,
 * so a server that accepts and drops at once is not hammered. Written against
 * SocketLike, so tests drive it with a fake; the browser's WebSocket plugs in as is.
 */
import { Backoff } from '../../../client/backoff.js';
import type { ConnectionStatus, Timers } from './connection-status.js';

export interface SocketLike {
  onopen: (() => void) | null;
  onclose: (() => void) | null;
  onerror: (() => void) | null;
  onmessage: ((event: { readonly data: unknown }) => void) | null;
  close(): void;
}

export interface LiveConnectionOptions {
  readonly url: string;
  readonly open: (url: string) => SocketLike;
  readonly timers: Timers;
  readonly onMessage: (data: unknown) => void;
  readonly onStatus: (status: ConnectionStatus) => void;
  /** After a reconnect: fetch again what the socket would have pushed while it was down. */
  readonly refetch: () => void;
  readonly backoff?: Backoff;
  /** The back-off resets after a connection stays up this long (default 10 s). */
  readonly stableAfterMs?: number;
  /** No message for this long means a dead connection (default 60 s; the server pings more often). */
  readonly idleTimeoutMs?: number;
}

export class LiveConnection {
  readonly #o: LiveConnectionOptions;
  readonly #backoff: Backoff;
  #socket: SocketLike | undefined;
  #retry: unknown;
  #idle: unknown;
  #stable: unknown;
  #running = false;
  #networkUp = true;
  #attempts = 0;
  #lastOkAt: number | undefined;

  constructor(options: LiveConnectionOptions) {
    this.#o = options;
    this.#backoff = options.backoff ?? new Backoff({ baseMs: 1_000, capMs: 30_000 });
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#o.onStatus({ kind: 'connecting' });
    this.#connect();
  }

  stop(): void {
    this.#running = false;
    this.#clearTimers();
    this.#drop();
  }

  /** The browser's online/offline events. */
  networkChanged(up: boolean): void {
    this.#networkUp = up;
    if (!this.#running) return;
    if (!up) {
      this.#clearTimers();
      this.#drop();
      this.#o.onStatus({ kind: 'offline', lastOkAt: this.#lastOkAt });
    } else if (this.#socket === undefined) {
      // The network is back: try now rather than at the end of a long back-off.
      this.#clearTimers();
      this.#connect();
    }
  }

  #connect(): void {
    if (!this.#running || !this.#networkUp) return;
    this.#retry = undefined;
    const reconnect = this.#attempts > 0;
    this.#attempts++;
    let socket: SocketLike;
    try {
      socket = this.#o.open(this.#o.url);
    } catch {
      this.#scheduleRetry();
      return;
    }
    this.#socket = socket;
    socket.onopen = () => {
      if (this.#socket !== socket) return;
      const now = this.#o.timers.now();
      this.#lastOkAt = now;
      this.#o.onStatus({ kind: 'live', since: now });
      this.#armIdle();
      this.#stable = this.#o.timers.setTimeout(() => this.#backoff.reset(), this.#o.stableAfterMs ?? 10_000);
      if (reconnect) this.#o.refetch();
    };
    socket.onmessage = (event) => {
      if (this.#socket !== socket) return;
      this.#lastOkAt = this.#o.timers.now();
      this.#armIdle();
      this.#o.onMessage(event.data);
    };
    const lost = () => {
      if (this.#socket !== socket) return;
      this.#drop();
      this.#scheduleRetry();
    };
    socket.onclose = lost;
    socket.onerror = lost;
  }

  #scheduleRetry(): void {
    if (!this.#running || !this.#networkUp) return;
    this.#clearTimers();
    const delay = this.#backoff.next();
    const retryAt = this.#o.timers.now() + delay;
    this.#o.onStatus({ kind: 'reconnecting', retryAt, attempt: this.#backoff.attempt, lastOkAt: this.#lastOkAt });
    this.#retry = this.#o.timers.setTimeout(() => this.#connect(), delay);
  }

  #armIdle(): void {
    if (this.#idle !== undefined) this.#o.timers.clearTimeout(this.#idle);
    this.#idle = this.#o.timers.setTimeout(() => {
      this.#idle = undefined;
      this.#drop();
      this.#scheduleRetry();
    }, this.#o.idleTimeoutMs ?? 60_000);
  }

  #drop(): void {
    const socket = this.#socket;
    this.#socket = undefined;
    if (this.#idle !== undefined) this.#o.timers.clearTimeout(this.#idle);
    if (this.#stable !== undefined) this.#o.timers.clearTimeout(this.#stable);
    this.#idle = undefined;
    this.#stable = undefined;
    if (socket !== undefined) {
      socket.onopen = socket.onclose = socket.onerror = null;
      socket.onmessage = null;
      try {
        socket.close();
      } catch {
        // already closed
      }
    }
  }

  #clearTimers(): void {
    if (this.#retry !== undefined) this.#o.timers.clearTimeout(this.#retry);
    this.#retry = undefined;
  }
}
