/**
 * Where updates come from: the live socket, and polling only as its fallback. Without
 * WebSocket in the browser, polling alone. With it, the socket; when it has failed to
 * come up `fallbackAfter` times in a row (a proxy that refuses upgrades, a network
 * that drops them), polling runs beside its retries and speaks for the page — it says
 * whether the cloud answers at all — until the socket is live again.
 */
import type { ConnectionStatus } from './connection-status.js';

/** The part of LiveConnection this uses. */
export interface LiveLike {
  start(): void;
  stop(): void;
  networkChanged(up: boolean): void;
}

/** The part of PollingSource this uses. */
export interface PollingLike {
  start(): void;
  stop(): void;
  poke(): void;
  pageVisible(visible: boolean): void;
  networkChanged(up: boolean): void;
}

export interface LiveSourceOptions {
  /** Undefined: no WebSocket here. `onStatus` is the socket's status callback. */
  readonly live: ((onStatus: (status: ConnectionStatus) => void) => LiveLike) | undefined;
  readonly polling: (onStatus: (status: ConnectionStatus) => void) => PollingLike;
  readonly onStatus: (status: ConnectionStatus) => void;
  /** Refresh what the pages show now (after a write). */
  readonly refresh: () => void;
  readonly fallbackAfter?: number;
}

export class LiveSource {
  readonly #o: LiveSourceOptions;
  readonly #live: LiveLike | undefined;
  readonly #polling: PollingLike;
  #polls = false;
  #running = false;

  constructor(options: LiveSourceOptions) {
    this.#o = options;
    this.#polling = options.polling((s) => {
      if (this.#polls) options.onStatus(s);
    });
    this.#live = options.live?.((s) => this.#liveStatus(s));
  }

  /** True while polling stands in for the socket. */
  get polling(): boolean {
    return this.#polls;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    if (this.#live === undefined) this.#startPolling();
    else this.#live.start();
  }

  stop(): void {
    this.#running = false;
    this.#live?.stop();
    this.#stopPolling();
  }

  poke(): void {
    if (!this.#running) return;
    if (this.#polls) this.#polling.poke();
    else this.#o.refresh();
  }

  pageVisible(visible: boolean): void {
    if (this.#polls) this.#polling.pageVisible(visible);
  }

  networkChanged(up: boolean): void {
    this.#live?.networkChanged(up);
    if (this.#polls) this.#polling.networkChanged(up);
  }

  #liveStatus(s: ConnectionStatus): void {
    if (s.kind === 'live') this.#stopPolling();
    else if (s.kind === 'reconnecting' && s.attempt >= (this.#o.fallbackAfter ?? 3)) this.#startPolling();
    if (!this.#polls) this.#o.onStatus(s);
  }

  #startPolling(): void {
    if (this.#polls || !this.#running) return;
    this.#polls = true;
    this.#polling.start();
  }

  #stopPolling(): void {
    if (!this.#polls) return;
    this.#polls = false;
    this.#polling.stop();
  }
}
