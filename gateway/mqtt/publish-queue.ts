/**
 * Everything the gateway publishes goes through this queue, which bounds the
 * publishes in flight (HARDWARE.md: mqtt.js with a callback per message on a full
 * socket adds one 'drain' listener each and slows to ~2k msg/s) and bounds memory:
 * a retained message replaces a waiting one on the same topic (only the latest
 * state matters), and events beyond `maxEvents` push out the oldest, counted.
 * Order is first come, first served; a replaced state keeps its place in line.
 * Nothing here throws into the caller: publishing is reporting, never protection.
 */

export interface OutgoingMessage {
  readonly topic: string;
  readonly payload: string | Buffer;
  readonly retain: boolean;
  readonly qos: 0 | 1;
}

/** Sends one message; `done` runs once it is handed over (QoS 0) or acknowledged (QoS 1). */
export type SendFn = (message: OutgoingMessage, done: (err?: Error | null) => void) => void;

export interface PublishQueueOptions {
  readonly send: SendFn;
  /** At most this many sends awaiting their `done` (default 16). */
  readonly maxInFlight?: number;
  /** Waiting events (non-retained messages) kept at most; older ones are dropped (default 200). */
  readonly maxEvents?: number;
  readonly onFailure?: (err: Error, message: OutgoingMessage) => void;
}

export interface PublishQueueStats {
  readonly published: number;
  readonly failed: number;
  /** Events dropped because too many waited (the broker was away or slow). */
  readonly dropped: number;
  /** Waiting states replaced by a newer one on the same topic. */
  readonly coalesced: number;
  readonly inFlight: number;
  /** The most publishes ever in flight at once: the bound at work. */
  readonly peakInFlight: number;
  readonly queued: number;
}

export class PublishQueue {
  readonly #options: PublishQueueOptions;
  readonly #maxInFlight: number;
  readonly #maxEvents: number;
  /** Waiting messages in arrival order: retained ones keyed by topic, events by a serial. */
  readonly #waiting = new Map<string, OutgoingMessage>();
  readonly #eventKeys: string[] = [];
  #eventSerial = 0;
  #open = false;
  /** Bumped when the connection is lost: late callbacks of the old one are ignored. */
  #generation = 0;
  #inFlight = 0;
  #peakInFlight = 0;
  #published = 0;
  #failed = 0;
  #dropped = 0;
  #coalesced = 0;
  #idleWaiters: (() => void)[] = [];

  constructor(options: PublishQueueOptions) {
    this.#options = options;
    this.#maxInFlight = Math.max(1, options.maxInFlight ?? 16);
    this.#maxEvents = Math.max(1, options.maxEvents ?? 200);
  }

  stats(): PublishQueueStats {
    return {
      published: this.#published,
      failed: this.#failed,
      dropped: this.#dropped,
      coalesced: this.#coalesced,
      inFlight: this.#inFlight,
      peakInFlight: this.#peakInFlight,
      queued: this.#waiting.size,
    };
  }

  get isOpen(): boolean {
    return this.#open;
  }

  push(message: OutgoingMessage): void {
    if (message.retain) {
      if (this.#waiting.has(message.topic)) this.#coalesced++;
      this.#waiting.set(message.topic, message);
    } else {
      const key = `\u0000event:${this.#eventSerial++}`;
      this.#waiting.set(key, message);
      this.#eventKeys.push(key);
      this.#trimEvents();
    }
    this.#pump();
  }

  /** The link is up: start sending. */
  open(): void {
    this.#open = true;
    this.#pump();
  }

  /**
   * The link is down: stop sending and forget what was in flight (states are
   * published again on reconnect; their late callbacks are ignored).
   */
  close(): void {
    this.#open = false;
    this.#generation++;
    this.#inFlight = 0;
    this.#checkIdle();
  }

  /** Resolves once nothing waits and nothing is in flight (or the link is down). */
  idle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #isIdle(): boolean {
    return !this.#open || (this.#waiting.size === 0 && this.#inFlight === 0);
  }

  #checkIdle(): void {
    if (!this.#isIdle() || this.#idleWaiters.length === 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Events leave the line in order, so #eventKeys holds exactly the waiting ones, oldest first. */
  #trimEvents(): void {
    while (this.#eventKeys.length > this.#maxEvents) {
      const oldest = this.#eventKeys.shift();
      if (oldest !== undefined && this.#waiting.delete(oldest)) this.#dropped++;
    }
  }

  #pump(): void {
    while (this.#open && this.#inFlight < this.#maxInFlight) {
      const next = this.#waiting.entries().next();
      if (next.done === true) break;
      const [key, message] = next.value;
      this.#waiting.delete(key);
      if (this.#eventKeys[0] === key) this.#eventKeys.shift();
      this.#send(message);
    }
    this.#checkIdle();
  }

  #send(message: OutgoingMessage): void {
    const generation = this.#generation;
    this.#inFlight++;
    this.#peakInFlight = Math.max(this.#peakInFlight, this.#inFlight);
    let called = false;
    const done = (err?: Error | null): void => {
      if (called || generation !== this.#generation) return;
      called = true;
      this.#inFlight--;
      if (err) {
        this.#failed++;
        this.#options.onFailure?.(err, message);
      } else {
        this.#published++;
      }
      this.#pump();
    };
    try {
      this.#options.send(message, done);
    } catch (err) {
      done(err instanceof Error ? err : new Error(String(err)));
    }
  }
}
