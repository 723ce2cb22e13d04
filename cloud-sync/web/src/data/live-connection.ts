/**
 * The live socket's life (GET /api/ws): connect, authenticate with the first message
 * (the access token from memory, never in the URL), go live on the server's `ready`,
 * keep the connection provably alive with application pings (a browser never sees the
 * server's protocol pings), and when the socket closes or goes quiet, reconnect after
 * an exponential back-off with full jitter — the same back-off the gateways use — then
 * refetch what may have been missed meanwhile (the server does not replay). The
 * back-off resets only once a connection has stayed up a while, so a server that
 * accepts and drops at once is not hammered. Written against SocketLike, so tests
 * drive it with a fake.
 */
import { Backoff } from '../../../client/backoff.js';
import type { ConnectionStatus, Timers } from './connection-status.js';
import { LIVE_CLOSE, parseServerMessage, type LiveEvent, type LiveTopic } from './live-protocol.js';

export interface SocketLike {
  onopen: (() => void) | null;
  onclose: ((event: { readonly code: number }) => void) | null;
  onerror: (() => void) | null;
  onmessage: ((event: { readonly data: unknown }) => void) | null;
  send(data: string): void;
  close(): void;
}

export interface LiveConnectionOptions {
  readonly url: string;
  readonly open: (url: string) => SocketLike;
  readonly timers: Timers;
  /**
   * The access token to authenticate with; `refused`: the one the server just refused, so
   * answer another (a refresh, which ends the session the usual way when it is refused
   * too). Undefined or a throw: retry after the back-off.
   */
  readonly token: (refused: string | undefined) => Promise<string | undefined>;
  readonly topics: readonly LiveTopic[];
  readonly onEvent: (event: LiveEvent) => void;
  readonly onStatus: (status: ConnectionStatus) => void;
  /** After a reconnect: fetch again what the socket would have pushed while it was down. */
  readonly refetch: () => void;
  readonly backoff?: Backoff;
  /** The back-off resets after a connection stays up this long (default 10 s). */
  readonly stableAfterMs?: number;
  /** No message for this long means a dead connection (default 60 s); a ping goes out at half of it. */
  readonly idleTimeoutMs?: number;
}

export class LiveConnection {
  readonly #o: LiveConnectionOptions;
  readonly #backoff: Backoff;
  #socket: SocketLike | undefined;
  #retry: unknown;
  #idle: unknown;
  #ping: unknown;
  #stable: unknown;
  #running = false;
  #networkUp = true;
  #everLive = false;
  #refused: string | undefined;
  #connecting = false;
  #lastOkAt: number | undefined;

  constructor(options: LiveConnectionOptions) {
    this.#o = options;
    this.#backoff = options.backoff ?? new Backoff({ baseMs: 1_000, capMs: 30_000 });
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#o.onStatus({ kind: 'connecting' });
    void this.#connect();
  }

  stop(): void {
    this.#running = false;
    this.#clearRetry();
    this.#drop();
  }

  /** The browser's online/offline events. */
  networkChanged(up: boolean): void {
    this.#networkUp = up;
    if (!this.#running) return;
    if (!up) {
      this.#clearRetry();
      this.#drop();
      this.#o.onStatus({ kind: 'offline', lastOkAt: this.#lastOkAt });
    } else if (this.#socket === undefined) {
      // The network is back: try now rather than at the end of a long back-off.
      this.#clearRetry();
      void this.#connect();
    }
  }

  async #connect(): Promise<void> {
    if (!this.#running || !this.#networkUp || this.#connecting) return;
    this.#retry = undefined;
    let token: string | undefined;
    this.#connecting = true;
    try {
      token = await this.#o.token(this.#refused);
    } catch {
      token = undefined;
    } finally {
      this.#connecting = false;
    }
    if (!this.#running || !this.#networkUp || this.#socket !== undefined) return;
    if (token === undefined) {
      this.#scheduleRetry();
      return;
    }
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
      socket.send(JSON.stringify({ type: 'auth', token, topics: this.#o.topics }));
      this.#armIdle();
    };
    socket.onmessage = (event) => {
      if (this.#socket !== socket) return;
      this.#lastOkAt = this.#o.timers.now();
      this.#armIdle();
      const message = parseServerMessage(event.data);
      if (message?.type === 'ready') this.#ready();
      else if (message?.type === 'event') this.#o.onEvent(message);
    };
    socket.onclose = (event) => {
      if (this.#socket !== socket) return;
      this.#drop();
      // A refused token (expired in a sleeping tab) or an ended session (signed out everywhere,
      // the password changed — perhaps in this very tab, which then holds new tokens): the next
      // try needs another token. After the back-off, so a password change's answer is in first.
      this.#refused = event.code === LIVE_CLOSE.AUTH_FAILED || event.code === LIVE_CLOSE.SESSION_REVOKED ? token : undefined;
      this.#scheduleRetry();
    };
    socket.onerror = () => {
      if (this.#socket !== socket) return;
      this.#drop();
      this.#scheduleRetry();
    };
  }

  #ready(): void {
    const now = this.#o.timers.now();
    this.#refused = undefined;
    this.#o.onStatus({ kind: 'live', since: now });
    this.#stable = this.#o.timers.setTimeout(() => this.#backoff.reset(), this.#o.stableAfterMs ?? 10_000);
    if (this.#everLive) this.#o.refetch();
    this.#everLive = true;
  }

  #scheduleRetry(): void {
    if (!this.#running || !this.#networkUp) return;
    this.#clearRetry();
    const delay = this.#backoff.next();
    const retryAt = this.#o.timers.now() + delay;
    this.#o.onStatus({ kind: 'reconnecting', retryAt, attempt: this.#backoff.attempt, lastOkAt: this.#lastOkAt });
    this.#retry = this.#o.timers.setTimeout(() => void this.#connect(), delay);
  }

  #armIdle(): void {
    const idleMs = this.#o.idleTimeoutMs ?? 60_000;
    this.#clear('idle');
    this.#clear('ping');
    this.#ping = this.#o.timers.setTimeout(() => {
      this.#ping = undefined;
      try {
        this.#socket?.send('{"type":"ping"}');
      } catch {
        // closing: onclose follows
      }
    }, idleMs / 2);
    this.#idle = this.#o.timers.setTimeout(() => {
      this.#idle = undefined;
      this.#drop();
      this.#scheduleRetry();
    }, idleMs);
  }

  #drop(): void {
    const socket = this.#socket;
    this.#socket = undefined;
    this.#clear('idle');
    this.#clear('ping');
    this.#clear('stable');
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

  #clear(which: 'idle' | 'ping' | 'stable'): void {
    const handle = which === 'idle' ? this.#idle : which === 'ping' ? this.#ping : this.#stable;
    if (handle !== undefined) this.#o.timers.clearTimeout(handle);
    if (which === 'idle') this.#idle = undefined;
    else if (which === 'ping') this.#ping = undefined;
    else this.#stable = undefined;
  }

  #clearRetry(): void {
    if (this.#retry !== undefined) this.#o.timers.clearTimeout(this.#retry);
    this.#retry = undefined;
  }
}
