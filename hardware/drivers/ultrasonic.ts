import type { Clock, TimerHandle } from '../clock.js';
import { OutcomeCounter, failed, type Fault, type OutcomeCounts } from '../fault.js';
import { silentLogger, type Logger } from '../logger.js';
import { patientTimeout } from '../lost-time.js';
import { Mutex } from '../mutex.js';
import type { SerialStream } from '../ports/serial.js';
import {
  TRIGGER_BYTE,
  ULTRASONIC_MODELS,
  UltrasonicFrameParser,
  type UltrasonicMode,
  type UltrasonicModel,
  type UltrasonicModelSpec,
  type UltrasonicOutcome,
} from './ultrasonic-frame.js';

/**
 * A UART ultrasonic level sensor (A02YYUW, JSN-SR04T) on a SerialStream.
 * Streaming: the sensor sends frames by itself and read() returns the newest one.
 * Triggered (JSN-SR04T mode 3): read() writes 0x55 and waits for the answer.
 * read() never throws; a lost port makes every read return the port's fault until
 * the caller opens a new port and builds a new sensor.
 */

export interface UltrasonicSensorOptions {
  readonly port: SerialStream;
  readonly model: UltrasonicModel;
  readonly mode: UltrasonicMode;
  readonly clock: Clock;
  /** How long a read waits for a frame; default 1000 ms (twice the slowest stream interval). */
  readonly timeoutMs?: number;
  /** Streaming: a frame younger than this answers read() at once; default 1000 ms. */
  readonly maxAgeMs?: number;
  /**
   * Silence after which bytes held back by the parser are decided (a frame with 0xFF
   * inside waits for the bytes after it); default 50 ms: a frame takes 4 ms at 9600
   * baud and frames come 100 ms or more apart.
   */
  readonly frameGapMs?: number;
  readonly logger?: Logger;
}

const DEFAULT_TIMEOUT_MS = 1000;
const DEFAULT_MAX_AGE_MS = 1000;
const DEFAULT_FRAME_GAP_MS = 50;

interface Waiter {
  /** Outcomes with a higher sequence number answer this waiter. */
  readonly after: number;
  readonly resolve: (outcome: UltrasonicOutcome) => void;
}

export class UltrasonicSensor {
  readonly spec: UltrasonicModelSpec;
  readonly mode: UltrasonicMode;
  readonly #port: SerialStream;
  readonly #clock: Clock;
  readonly #timeoutMs: number;
  readonly #maxAgeMs: number;
  readonly #frameGapMs: number;
  readonly #logger: Logger;
  readonly #parser: UltrasonicFrameParser;
  /** Reads that ended without a frame: timeout, closed, io. */
  readonly #readFaults = new OutcomeCounter();
  readonly #triggerMutex = new Mutex();
  readonly #listeners = new Set<(outcome: UltrasonicOutcome) => void>();
  readonly #waiters = new Set<Waiter>();
  readonly #unsubscribe: (() => void)[];
  #seq = 0;
  #latest: { readonly outcome: UltrasonicOutcome; readonly at: number } | undefined;
  #portFault: Fault | undefined;
  #gapTimer: TimerHandle | undefined;

  constructor(options: UltrasonicSensorOptions) {
    this.spec = ULTRASONIC_MODELS[options.model];
    if (!this.spec.modes.includes(options.mode)) {
      throw new RangeError(`a ${options.model} has no ${options.mode} mode (it supports ${this.spec.modes.join(', ')})`);
    }
    for (const [name, value] of [
      ['timeoutMs', options.timeoutMs],
      ['maxAgeMs', options.maxAgeMs],
      ['frameGapMs', options.frameGapMs],
    ] as const) {
      if (value !== undefined && !(value > 0)) throw new RangeError(`${name} must be positive, got ${value}`);
    }
    this.mode = options.mode;
    this.#port = options.port;
    this.#clock = options.clock;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
    this.#frameGapMs = options.frameGapMs ?? DEFAULT_FRAME_GAP_MS;
    this.#logger = options.logger ?? silentLogger;
    this.#parser = new UltrasonicFrameParser({ model: this.spec, source: options.port.path });
    this.#unsubscribe = [
      options.port.onData((chunk) => this.#received(chunk)),
      options.port.onClose((fault) => this.#portClosed(fault)),
    ];
    if (!options.port.isOpen) this.#portClosed(undefined);
  }

  get path(): string {
    return this.#port.path;
  }

  /** The newest distance, or why there is none. Never throws. */
  async read(): Promise<UltrasonicOutcome> {
    try {
      if (this.#portFault !== undefined) return this.#recordReadFault(this.#portFault);
      if (this.mode === 'triggered') return await this.#triggerMutex.run(() => this.#trigger());
      const latest = this.#latest;
      if (latest !== undefined && this.#clock.monotonic() - latest.at <= this.#maxAgeMs) return latest.outcome;
      return await this.#next(this.#seq);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return this.#recordReadFault({ code: 'io', message: `reading ${this.path} failed: ${message}` });
    }
  }

  /** Every parsed frame outcome, as it arrives (for median filtering). Returns the unsubscribe. */
  onOutcome(listener: (outcome: UltrasonicOutcome) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Frame outcomes (ok, checksum, blind_zone, no_echo, out_of_range) plus reads that got no frame. */
  counts(): OutcomeCounts {
    const merged: Partial<Record<keyof OutcomeCounts, number>> = { ...this.#parser.counts() };
    for (const [code, n] of Object.entries(this.#readFaults.snapshot()) as [keyof OutcomeCounts, number][]) {
      merged[code] = (merged[code] ?? 0) + n;
    }
    return Object.freeze(merged);
  }

  /** Bytes the parser threw away while resynchronising. */
  get discardedBytes(): number {
    return this.#parser.discardedBytes;
  }

  /** Settles pending reads with 'closed' and closes the port. */
  async close(): Promise<void> {
    this.#portClosed(undefined);
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    await this.#port.close();
  }

  async #trigger(): Promise<UltrasonicOutcome> {
    if (this.#portFault !== undefined) return this.#recordReadFault(this.#portFault);
    // Listen before writing: the answer may come back before write() resolves.
    const answer = this.#next(this.#seq);
    try {
      await this.#port.write(Uint8Array.of(TRIGGER_BYTE));
    } catch (err) {
      // A failed write usually means a lost port, whose close event settles `answer`.
      this.#logger.warn({ path: this.path, err }, 'writing the ultrasonic trigger failed');
    }
    return answer;
  }

  #received(chunk: Uint8Array): void {
    this.#deliver(this.#parser.push(chunk));
    if (this.#gapTimer !== undefined) this.#clock.clearTimeout(this.#gapTimer);
    this.#gapTimer = undefined;
    if (this.#parser.bufferedBytes === 0 || this.#portFault !== undefined) return;
    this.#gapTimer = this.#clock.setTimeout(() => {
      this.#gapTimer = undefined;
      this.#deliver(this.#parser.flush());
    }, this.#frameGapMs);
  }

  /** The first outcome after sequence number `after`, or a fault after the timeout. */
  #next(after: number): Promise<UltrasonicOutcome> {
    return new Promise((resolve) => {
      let timer: { cancel(): void } | undefined = undefined;
      const waiter: Waiter = {
        after,
        resolve: (outcome) => {
          timer?.cancel();
          this.#waiters.delete(waiter);
          resolve(outcome);
        },
      };
      this.#waiters.add(waiter);
      // Time the process lost (a late event loop) is not the sensor's silence.
      timer = patientTimeout(this.#clock, () => {
        timer = undefined;
        this.#timedOut(waiter);
      }, this.#timeoutMs);
    });
  }

  #timedOut(waiter: Waiter): void {
    // Bytes may be waiting for a successor that will not come (one answer per trigger).
    this.#deliver(this.#parser.flush());
    if (!this.#waiters.has(waiter)) return;
    waiter.resolve(
      this.#recordReadFault({
        code: 'timeout',
        message: `no frames from ${this.path}: check TX→RX wiring, 9600 baud, 3.3 V/5 V supply`,
        hint:
          this.mode === 'triggered'
            ? `Nothing answered the 0x55 trigger within ${this.#timeoutMs} ms. The sensor's TX goes to the Pi's RX ` +
              "and the Pi's TX to the sensor's RX; the JSN-SR04T must be set to serial mode 3 (its mode resistor)."
            : `No frame arrived within ${this.#timeoutMs} ms. The sensor's TX goes to the Pi's RX (GPIO15, header pin 10); ` +
              `use ${this.spec.baudRate} baud and the supply voltage the sensor is rated for.`,
      }),
    );
  }

  #deliver(outcomes: UltrasonicOutcome[]): void {
    const newest = outcomes.at(-1);
    if (newest === undefined) return;
    const at = this.#clock.monotonic();
    for (const outcome of outcomes) {
      this.#seq++;
      if (!outcome.ok) this.#logger.debug({ path: this.path, fault: outcome.fault }, 'ultrasonic frame rejected');
      for (const listener of [...this.#listeners]) {
        // A listener's bug must not break the port's data path.
        try {
          listener(outcome);
        } catch (err) {
          this.#logger.error({ path: this.path, err }, 'an ultrasonic outcome listener threw');
        }
      }
    }
    this.#latest = { outcome: newest, at };
    // A batch can hold a late verdict on an older frame; waiters want the newest.
    for (const waiter of [...this.#waiters]) {
      if (this.#seq > waiter.after) waiter.resolve(newest);
    }
  }

  #portClosed(fault: Fault | undefined): void {
    if (this.#portFault !== undefined) return;
    this.#portFault = fault ?? { code: 'closed', message: `${this.path} was closed` };
    this.#latest = undefined;
    if (this.#gapTimer !== undefined) this.#clock.clearTimeout(this.#gapTimer);
    this.#gapTimer = undefined;
    for (const waiter of [...this.#waiters]) waiter.resolve(this.#recordReadFault(this.#portFault));
  }

  #recordReadFault(fault: Fault): UltrasonicOutcome {
    return this.#readFaults.record(failed(fault));
  }
}
