import type { Clock } from '../clock.js';
import { HardwareError, OutcomeCounter, failed, ok, type OutcomeCounts, type Result } from '../fault.js';
import { debounceInput } from '../gpio/debounce.js';
import { faultFromIoError } from '../io-error.js';
import { silentLogger, type Logger } from '../logger.js';
import type { DigitalInput } from '../ports/digital.js';

export interface LeakContactOptions {
  readonly clock: Clock;
  /** How long a new state must hold before it counts (default 200 ms). */
  readonly debounceMs?: number;
  readonly logger?: Logger;
}

export interface LeakReading {
  readonly wet: boolean;
}

export const DEFAULT_LEAK_DEBOUNCE_MS = 200;

/**
 * A water leak contact or rope on a digital input, e.g. an LM393 comparator
 * module. Level 1 means wet: open the input with `activeLow` when the module
 * pulls its output low on water (most do). The line is debounced, so a rope
 * at the water's edge raises one change, not a flood.
 */
export class LeakContact {
  readonly name: string;
  readonly #input: DigitalInput;
  readonly #logger: Logger;
  readonly #counter = new OutcomeCounter();
  readonly #listeners = new Set<(wet: boolean) => void>();
  #closed = false;

  constructor(input: DigitalInput, options: LeakContactOptions) {
    this.name = input.name;
    this.#logger = options.logger ?? silentLogger;
    this.#input = debounceInput(input, { ms: options.debounceMs ?? DEFAULT_LEAK_DEBOUNCE_MS, clock: options.clock });
    this.#input.watch((level) => {
      const wet = level === 1;
      this.#logger.info({ gpio: this.name, wet }, wet ? 'leak contact wet' : 'leak contact dry');
      for (const listener of [...this.#listeners]) listener(wet);
    });
  }

  /** The debounced state; a fault (never a throw) when the pin cannot be read. */
  async read(): Promise<Result<LeakReading>> {
    if (this.#closed) {
      return this.#counter.record(failed({ code: 'closed', message: `leak contact on ${this.name} is closed` }));
    }
    try {
      const level = await this.#input.read();
      return this.#counter.record(ok({ wet: level === 1 }));
    } catch (err) {
      const fault =
        err instanceof HardwareError ? err : faultFromIoError(err, { kind: 'gpio', device: this.name });
      return this.#counter.record(failed({ code: fault.code, message: fault.message, ...hintOf(fault) }));
    }
  }

  /** Called with the new state after each debounced change. Returns the unsubscribe. */
  onChange(listener: (wet: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  counts(): OutcomeCounts {
    return this.#counter.snapshot();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#listeners.clear();
    await this.#input.close();
  }
}

function hintOf(fault: { readonly hint?: string }): { hint?: string } {
  return fault.hint === undefined ? {} : { hint: fault.hint };
}
