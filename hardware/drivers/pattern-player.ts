import { sleep, type Clock, type TimerHandle } from '../clock.js';
import { HardwareError, OutcomeCounter, type OutcomeCounts } from '../fault.js';
import { faultFromIoError } from '../io-error.js';
import { silentLogger, type Logger } from '../logger.js';
import type { DigitalOutput, Level } from '../ports/digital.js';
import { definePattern, type OutputPattern } from './output-patterns.js';

export interface PatternPlayerOptions {
  readonly clock: Clock;
  readonly logger?: Logger;
  /** How many times stop() tries to write OFF before it gives up (default 3). */
  readonly stopAttempts?: number;
  /** Pause between those attempts, ms (default 100). */
  readonly stopRetryMs?: number;
}

/**
 * Plays an OutputPattern on a buzzer or LED output.
 *
 * One writer at a time: the pattern sets the level it wants, and a single write
 * loop brings the pin to the latest wanted level. Writes never overlap or land
 * out of order, and a slow write coalesces steps instead of queueing them. A
 * write that fails is counted and logged, and the next step tries again: an
 * alarm keeps trying to sound. Steps are timed from the pattern's start, so
 * late timers do not make the pattern drift.
 *
 * stop() and close() leave the output OFF whatever is in flight.
 */
export class PatternPlayer {
  readonly #output: DigitalOutput;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #stopAttempts: number;
  readonly #stopRetryMs: number;
  readonly #counter = new OutcomeCounter();

  #pattern: OutputPattern | undefined;
  #timer: TimerHandle | undefined;
  /** Bumped by play() and stop(): a timer of an older epoch does nothing. */
  #epoch = 0;
  /** Bumped by play() only: a pending stop() gives way to a newer play(). */
  #plays = 0;

  /** The level the pattern wants now. */
  #wanted: Level = 0;
  /** The level last written successfully; undefined before the first write and after a failure. */
  #written: Level | undefined;
  #writing = false;
  #idleWaiters: (() => void)[] = [];
  #failing = false;

  #closed = false;
  #closing: Promise<void> | undefined;

  constructor(output: DigitalOutput, options: PatternPlayerOptions) {
    this.#output = output;
    this.#clock = options.clock;
    this.#logger = options.logger ?? silentLogger;
    this.#stopAttempts = Math.max(1, options.stopAttempts ?? 3);
    this.#stopRetryMs = options.stopRetryMs ?? 100;
  }

  /** The name of the pattern playing, or undefined when silent. */
  get current(): string | undefined {
    return this.#pattern?.name;
  }

  /**
   * Starts `pattern` from its first step, replacing whatever plays. Playing the
   * pattern that already plays (same name) changes nothing, so callers may
   * re-assert the alarm state on every evaluation without restarting the cycle.
   */
  play(pattern: OutputPattern): void {
    if (this.#closed) {
      throw new HardwareError({ code: 'closed', message: `pattern player on ${this.#output.name} is closed` });
    }
    if (this.#pattern?.name === pattern.name) return;
    const checked = definePattern(pattern.name, pattern.steps, pattern.repeat);
    this.#cancelTimer();
    this.#epoch++;
    this.#plays++;
    this.#pattern = checked;
    this.#runStep(this.#epoch, checked, 0, this.#clock.monotonic());
  }

  /**
   * Silences the output. Resolves once OFF has been written, also when a write
   * was in flight; rejects when OFF could not be written after the retries.
   * A play() called before the OFF lands takes over, and stop() then resolves.
   */
  async stop(): Promise<void> {
    this.#cancelTimer();
    this.#epoch++;
    this.#pattern = undefined;
    const plays = this.#plays;
    for (let attempt = 1; ; attempt++) {
      this.#want(0);
      await this.#idle();
      if (plays !== this.#plays) return;
      if (this.#written === 0) return;
      if (attempt >= this.#stopAttempts) {
        throw new HardwareError({
          code: 'io',
          message: `could not switch ${this.#output.name} off after ${attempt} attempts`,
          hint: 'Check the buzzer/LED wiring and the GPIO; remove power from the buzzer if it keeps sounding.',
        });
      }
      await sleep(this.#clock, this.#stopRetryMs);
      if (plays !== this.#plays) return;
    }
  }

  /** Stops, then closes the output (which drives it inactive once more). */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  /** Outcomes of the writes to the output. */
  counts(): OutcomeCounts {
    return this.#counter.snapshot();
  }

  async #close(): Promise<void> {
    this.#closed = true;
    try {
      await this.stop();
    } catch (err) {
      this.#logger.error({ err, gpio: this.#output.name }, 'could not switch the output off before closing');
    } finally {
      await this.#output.close();
    }
  }

  #runStep(epoch: number, pattern: OutputPattern, index: number, startedAt: number): void {
    const step = pattern.steps[index];
    if (step === undefined) {
      if (pattern.repeat) {
        this.#runStep(epoch, pattern, 0, startedAt);
      } else {
        this.#pattern = undefined;
        this.#want(0);
      }
      return;
    }
    this.#want(step.level);
    if (!Number.isFinite(step.ms)) return;
    const now = this.#clock.monotonic();
    // After a stall (suspend, blocked loop) restart the step instead of racing through missed ones.
    const start = now - startedAt >= step.ms ? now : startedAt;
    const next = start + step.ms;
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      if (epoch === this.#epoch) this.#runStep(epoch, pattern, index + 1, next);
    }, next - now);
  }

  #cancelTimer(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #want(level: Level): void {
    this.#wanted = level;
    if (this.#writing) return;
    this.#writing = true;
    void this.#drain();
  }

  /** The single write loop: runs until the pin holds the wanted level, or a write fails. */
  async #drain(): Promise<void> {
    try {
      while (this.#written !== this.#wanted) {
        const level = this.#wanted;
        try {
          await this.#output.write(level);
          this.#written = level;
          this.#recordOk();
        } catch (err) {
          this.#written = undefined;
          this.#recordFailure(err, level);
          // Try again at the next step (or stop()'s retry), not in a tight loop.
          if (this.#wanted === level) break;
        }
      }
    } finally {
      this.#writing = false;
      for (const resolve of this.#idleWaiters.splice(0)) resolve();
    }
  }

  #idle(): Promise<void> {
    if (!this.#writing) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #recordOk(): void {
    this.#counter.add('ok');
    if (this.#failing) {
      this.#failing = false;
      this.#logger.info({ gpio: this.#output.name }, 'output writes work again');
    }
  }

  #recordFailure(err: unknown, level: Level): void {
    const fault = err instanceof HardwareError ? err : faultFromIoError(err, { kind: 'gpio', device: this.#output.name });
    this.#counter.add(fault.code);
    // Log the first failure of a run; the counts carry the rest.
    if (!this.#failing) {
      this.#failing = true;
      this.#logger.error({ err, gpio: this.#output.name, level, hint: fault.hint }, fault.message);
    }
  }
}
