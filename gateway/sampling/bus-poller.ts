/**
 * One poller per bus (Home Assistant's coordinator pattern): it alone talks to
 * the sensors on its bus, one read at a time, each on its own interval, with a
 * timeout, and backs off a sensor that keeps failing. Every outcome becomes an
 * immutable RawSample handed to `onSample` — the poller knows nothing of what
 * happens next.
 */
import { sleep, type Clock } from '../../hardware/clock.js';
import type { Logger } from '../../hardware/logger.js';
import { patientTimeout } from '../../hardware/lost-time.js';
import type { RawSample } from '../pipeline/types.js';
import type { SampleSource, SourceReading } from './sample-source.js';

export interface PolledSensor {
  readonly source: SampleSource;
  readonly intervalMs: number;
  /** A read taking longer than this is a 'timeout' fault (default 2 s). */
  readonly timeoutMs?: number;
}

export interface BusPollerOptions {
  /** The bus, for logs: "/dev/i2c-1", "/dev/serial0", "gpio". */
  readonly name: string;
  readonly clock: Clock;
  readonly sensors: readonly PolledSensor[];
  readonly onSample: (sample: RawSample) => void;
  readonly clockSynced: () => boolean;
  readonly logger: Logger;
  /** Faults in a row before the interval starts doubling (keep ≥ the disconnect threshold). */
  readonly backoffAfterFaults?: number;
  readonly maxBackoffMs?: number;
}

interface SensorSlot {
  readonly polled: PolledSensor;
  nextDue: number;
  faultsInRow: number;
  /** A read that timed out but has not returned yet: never start a second one. */
  inFlight: Promise<SourceReading> | undefined;
  /** Monotonic start of the read in flight. */
  inFlightSince: number;
  unsubscribe: (() => void) | undefined;
}

const DEFAULT_TIMEOUT_MS = 2_000;

export class BusPoller {
  readonly name: string;
  readonly #options: BusPollerOptions;
  readonly #slots: SensorSlot[];
  #running = false;
  #loop: Promise<void> | undefined;
  #wake: AbortController | undefined;
  /** Liveness for the watchdog: monotonic time of the last completed read. */
  #lastProgress = 0;
  /** Monotonic start of the read in progress, undefined while the loop waits. */
  #readStartedAt: number | undefined;

  constructor(options: BusPollerOptions) {
    this.name = options.name;
    this.#options = options;
    this.#slots = options.sensors.map((polled) => ({
      polled,
      nextDue: 0,
      faultsInRow: 0,
      inFlight: undefined,
      inFlightSince: 0,
      unsubscribe: undefined,
    }));
  }

  get sensorIds(): readonly string[] {
    return this.#slots.map((s) => s.polled.source.sensorId);
  }

  /** Monotonic ms of the last read that finished (ok or fault). */
  get lastProgress(): number {
    return this.#lastProgress;
  }

  /**
   * Whether the loop is doing its job right now: either waiting for a read that is
   * not yet due, or inside a read that is younger than its timeout. A loop that died
   * or hangs leaves a due read unserved — that is what stops the watchdog pings.
   */
  isAlive(slackMs = 5_000): boolean {
    if (!this.#running) return false;
    const now = this.#options.clock.monotonic();
    if (this.#readStartedAt !== undefined) {
      const slot = this.#nextSlot();
      const timeout = slot?.polled.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      return now - this.#readStartedAt <= timeout + slackMs;
    }
    const next = this.#nextSlot();
    return next === undefined || next.nextDue >= now - slackMs;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    const now = this.#options.clock.monotonic();
    this.#lastProgress = now;
    for (const slot of this.#slots) {
      slot.nextDue = now;
      const { source } = slot.polled;
      slot.unsubscribe = source.subscribe?.((reading) => this.#emit(source.sensorId, reading));
    }
    this.#loop = this.#run();
  }

  /** Stops polling; resolves when the loop has left (an in-flight read is not awaited beyond its timeout). */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#wake?.abort();
    for (const slot of this.#slots) slot.unsubscribe?.();
    await this.#loop;
  }

  /**
   * One read now, in the bus's turn (the control API's live read): the same
   * source, the same mutex, never a second handle on the device.
   */
  async readNow(sensorId: string): Promise<RawSample | undefined> {
    const slot = this.#slots.find((s) => s.polled.source.sensorId === sensorId);
    if (slot === undefined) return undefined;
    return this.#sample(slot, await this.#read(slot));
  }

  async #run(): Promise<void> {
    const { clock, logger } = this.#options;
    while (this.#running) {
      const slot = this.#nextSlot();
      if (slot === undefined) return;
      const wait = slot.nextDue - clock.monotonic();
      if (wait > 0) {
        this.#wake = new AbortController();
        try {
          await sleep(clock, wait, this.#wake.signal);
        } catch {
          continue; // woken by stop()
        }
      }
      if (!this.#running) return;
      try {
        const reading = await this.#read(slot);
        if (!this.#running) return;
        this.#schedule(slot, reading);
        this.#options.onSample(this.#sample(slot, reading));
      } catch (err) {
        // onSample consumers isolate their own errors; this is a last resort so the loop never dies.
        logger.error({ err, bus: this.name }, 'sample consumer failed');
        slot.nextDue = clock.monotonic() + slot.polled.intervalMs;
      }
    }
  }

  #nextSlot(): SensorSlot | undefined {
    let best: SensorSlot | undefined;
    for (const slot of this.#slots) if (best === undefined || slot.nextDue < best.nextDue) best = slot;
    return best;
  }

  /** The read, raced against its timeout; a read still running from last time counts as a timeout. */
  async #read(slot: SensorSlot): Promise<SourceReading> {
    const { clock } = this.#options;
    const { source, timeoutMs = DEFAULT_TIMEOUT_MS } = slot.polled;
    const timedOut = (): SourceReading => ({
      fault: {
        code: 'timeout',
        message: `${source.where} did not answer within ${timeoutMs} ms`,
        hint: 'Check the wiring and power of this sensor; a bus that hangs may need the Pi restarted.',
      },
    });
    if (slot.inFlight !== undefined) {
      // A live read (readNow) and the poll of the same sensor met: the one in flight is
      // as fresh as a new one, so share it — unless it already hangs past its timeout.
      const left = slot.inFlightSince + timeoutMs - clock.monotonic();
      if (left <= 0) return timedOut();
      const deadline = this.#deadline(left, timedOut);
      try {
        return await Promise.race([slot.inFlight, deadline.reached]);
      } finally {
        deadline.cancel();
      }
    }
    const read = source.read().catch(
      (err: unknown): SourceReading => ({
        fault: { code: 'io', message: `${source.where}: ${err instanceof Error ? err.message : String(err)}` },
      }),
    );
    slot.inFlight = read;
    slot.inFlightSince = clock.monotonic();
    this.#readStartedAt = clock.monotonic();
    const deadline = this.#deadline(timeoutMs, timedOut);
    try {
      const outcome = await Promise.race([read.then((r) => ({ done: true as const, r })), deadline.reached.then((r) => ({ done: false as const, r }))]);
      if (outcome.done) slot.inFlight = undefined;
      else {
        void read.finally(() => {
          slot.inFlight = undefined;
        });
      }
      return outcome.r;
    } finally {
      deadline.cancel();
      this.#readStartedAt = undefined;
      this.#lastProgress = clock.monotonic();
    }
  }

  /**
   * A timer on the clock that resolves with the timeout reading; time the process
   * itself lost meanwhile extends it (a late process is not a silent sensor). Every
   * read has one, so no AbortController: aborting one builds a DOMException with a stack trace.
   */
  #deadline(ms: number, timedOut: () => SourceReading): { reached: Promise<SourceReading>; cancel(): void } {
    let timer: { cancel(): void } | undefined;
    const reached = new Promise<SourceReading>((resolve) => {
      timer = patientTimeout(this.#options.clock, () => resolve(timedOut()), ms);
    });
    return { reached, cancel: () => timer?.cancel() };
  }

  /** Next due time: on the interval grid, doubled per fault beyond the threshold. */
  #schedule(slot: SensorSlot, reading: SourceReading): void {
    const { clock, backoffAfterFaults = 3, maxBackoffMs = 60_000 } = this.#options;
    const interval = slot.polled.intervalMs;
    slot.faultsInRow = 'fault' in reading ? slot.faultsInRow + 1 : 0;
    const extra = slot.faultsInRow - backoffAfterFaults;
    const period = extra > 0 ? Math.min(maxBackoffMs, interval * 2 ** extra) : interval;
    const now = clock.monotonic();
    slot.nextDue += period;
    // Running late (slow bus, suspended process): skip missed slots rather than burst.
    if (slot.nextDue <= now) slot.nextDue = now + (extra > 0 ? period : interval);
  }

  #emit(sensorId: string, reading: SourceReading): void {
    const slot = this.#slots.find((s) => s.polled.source.sensorId === sensorId);
    if (slot === undefined || !this.#running) return;
    try {
      this.#options.onSample(this.#sample(slot, reading));
    } catch (err) {
      this.#options.logger.error({ err, bus: this.name }, 'sample consumer failed');
    }
  }

  #sample(slot: SensorSlot, reading: SourceReading): RawSample {
    const { clock, clockSynced } = this.#options;
    return {
      sensorId: slot.polled.source.sensorId,
      at: clock.now(),
      mono: clock.monotonic(),
      clockSynced: clockSynced(),
      ...('fault' in reading ? { fault: reading.fault } : { value: reading.value }),
      ...('warmingUp' in reading && reading.warmingUp === true ? { warmingUp: true } : {}),
      ...('overRange' in reading && reading.overRange === true ? { overRange: true } : {}),
    };
  }
}
