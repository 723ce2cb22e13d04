/**
 * A real WebSocket client for the live socket's tests: keeps every message and
 * the close, and waits for one with a timeout (never a fixed sleep).
 */
import WebSocket from 'ws';

export interface Closed {
  readonly code: number;
  readonly reason: string;
}

export class LiveClient {
  readonly messages: Record<string, unknown>[] = [];
  closed: Closed | undefined;
  readonly socket: WebSocket;
  readonly #waiters = new Set<() => void>();

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on('message', (data) => {
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(new Uint8Array(data));
      this.messages.push(JSON.parse(bytes.toString('utf8')) as Record<string, unknown>);
      this.#wake();
    });
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.#wake();
    });
    socket.on('error', () => undefined);
  }

  static async open(base: string, path = '/api/ws'): Promise<LiveClient> {
    const socket = new WebSocket(`${base.replace(/^http/, 'ws')}${path}`);
    const client = new LiveClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return client;
  }

  /** Opens, authenticates with the access token, subscribes to the topics and waits for ready. */
  static async signedIn(base: string, token: string, topics: readonly string[] = ['readings', 'events', 'notifications', 'presence']): Promise<LiveClient> {
    const client = await LiveClient.open(base);
    client.send({ type: 'auth', token, topics });
    await client.next((m) => m.type === 'ready');
    return client;
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The first message (kept or still to come) that matches. */
  next(match: (m: Record<string, unknown>) => boolean, timeoutMs = 5_000): Promise<Record<string, unknown>> {
    return this.#until(() => this.messages.find(match), timeoutMs, 'message');
  }

  /** The close, once it comes. */
  closing(timeoutMs = 5_000): Promise<Closed> {
    return this.#until(() => this.closed, timeoutMs, 'close');
  }

  /** Events of a type received so far. */
  events(type: string): Record<string, unknown>[] {
    return this.messages.filter((m) => m.type === 'event' && (m.event as { type?: unknown }).type === type).map((m) => m.event as Record<string, unknown>);
  }

  close(): void {
    this.socket.close();
  }

  #until<T>(found: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const value = found();
        if (value === undefined) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve(value);
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`no ${what} within ${timeoutMs} ms; got ${JSON.stringify(this.messages).slice(0, 500)}${this.closed === undefined ? '' : ` and close ${this.closed.code}`}`));
      }, timeoutMs);
      this.#waiters.add(check);
      check();
    });
  }

  #wake(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}
