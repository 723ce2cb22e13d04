import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { HardwareError } from '../fault.js';
import { describeLine, specialFunctionsOf } from '../gpio/header-pins.js';
import { faultFromIoError } from '../io-error.js';
import { silentLogger, type Logger } from '../logger.js';
import { Mutex } from '../mutex.js';
import type { DigitalInput, DigitalOutput, Gpio, InputOptions, Level, OutputOptions } from '../ports/digital.js';
import { DEFAULT_GPIO_SYSFS_ROOT, findHeaderGpioChip, sysfsNumber, type GpioChipInfo } from './gpio-chip.js';

/**
 * The Pi GPIO backend on sysfs, through onoff.
 *
 * - sysfs cannot set pull-ups or pull-downs on a Pi: wire an external pull-up
 *   (10 kΩ to 3.3 V) or set it at boot in config.txt, e.g. `gpio=17=ip,pu`.
 * - sysfs GPIO is deprecated upstream; a libgpiod (/dev/gpiochip*) backend can
 *   replace this file behind the same Gpio interface without touching a driver.
 * - onoff always works under /sys/class/gpio; `sysfsRoot` only changes where the
 *   header chip is looked up (tests build fake trees).
 */

/** The part of onoff's Gpio this backend uses (a seam for tests). */
export interface OnoffLine {
  read(): Promise<Level>;
  write(value: Level): Promise<void>;
  watch(callback: (err: Error | null | undefined, value: Level) => void): void;
  unwatch(callback?: (err: Error | null | undefined, value: Level) => void): void;
  unexport(): void;
}

export type OnoffDirection = 'in' | 'low' | 'high';

/** Exports and configures one sysfs line; onoff's constructor by default. */
export type OnoffLineFactory = (
  sysfsNumber: number,
  direction: OnoffDirection,
  edge: 'both' | 'none',
  options: { readonly activeLow: boolean },
) => OnoffLine | Promise<OnoffLine>;

export interface OnoffGpioOptions {
  readonly sysfsRoot?: string;
  readonly logger?: Logger;
  /** Replaces onoff (tests only). */
  readonly openLine?: OnoffLineFactory;
}

const openWithOnoff: OnoffLineFactory = async (n, direction, edge, options) => {
  // Loaded on first use, so --simulate never needs the epoll native addon.
  const { Gpio } = await import('onoff');
  return new Gpio(n, direction, edge, { activeLow: options.activeLow });
};

export function createOnoffGpio(options: OnoffGpioOptions = {}): Gpio {
  return new OnoffGpio(options);
}

class OnoffGpio implements Gpio {
  readonly #sysfsRoot: string;
  readonly #logger: Logger;
  readonly #openLine: OnoffLineFactory;
  #chip: Promise<GpioChipInfo> | undefined;

  constructor(options: OnoffGpioOptions) {
    this.#sysfsRoot = options.sysfsRoot ?? DEFAULT_GPIO_SYSFS_ROOT;
    this.#logger = options.logger ?? silentLogger;
    this.#openLine = options.openLine ?? openWithOnoff;
  }

  async openInput(line: number, options: InputOptions = {}): Promise<DigitalInput> {
    const activeLow = options.activeLow ?? false;
    const { gpio, name } = await this.#open(line, 'in', 'both', activeLow);
    return new OnoffInput(name, gpio, this.#logger);
  }

  async openOutput(line: number, options: OutputOptions = {}): Promise<DigitalOutput> {
    const activeLow = options.activeLow ?? false;
    // sysfs "low"/"high" set the RAW level (gpiolib-sysfs direction_store ignores
    // active_low), so an active-low output must start "high" to start inactive.
    const { gpio, name } = await this.#open(line, activeLow ? 'high' : 'low', 'none', activeLow);
    return new OnoffOutput(name, gpio, this.#logger);
  }

  /** Resolved once, on first open; a failure is not cached so a later open can retry. */
  #headerChip(): Promise<GpioChipInfo> {
    if (this.#chip === undefined) {
      const pending = findHeaderGpioChip(this.#sysfsRoot);
      this.#chip = pending;
      pending.then(
        (chip) => this.#logger.info({ chip: chip.name, label: chip.label, base: chip.base }, 'GPIO header chip'),
        () => {
          if (this.#chip === pending) this.#chip = undefined;
        },
      );
    }
    return this.#chip;
  }

  async #open(
    line: number,
    direction: OnoffDirection,
    edge: 'both' | 'none',
    activeLow: boolean,
  ): Promise<{ gpio: OnoffLine; name: string }> {
    const chip = await this.#headerChip();
    const n = sysfsNumber(chip, line);
    const device = `GPIO${line} (sysfs ${n})`;
    if (existsSync(join(this.#sysfsRoot, `gpio${n}`))) {
      // onoff takes over an exported line; usually one left behind by a crash of ours.
      this.#logger.warn({ line, sysfs: n }, `${device} was already exported; taking it over`);
    }
    try {
      const gpio = await this.#openLine(n, direction, edge, { activeLow });
      return { gpio, name: `GPIO${line}` };
    } catch (err) {
      const fault = faultFromIoError(err, { kind: 'gpio', device });
      const claimedBy = specialFunctionsOf(line).map((f) => `${f.bus} (${f.enabledBy})`);
      const hint =
        fault.code === 'busy' && claimedBy.length > 0
          ? `${describeLine(line)} is claimed by a kernel driver: ${claimedBy.join(', ')}. Pick a free pin, or ` +
            (fault.hint ?? '').replace('<n>', String(n))
          : fault.hint?.replace('<n>', String(n));
      throw new HardwareError({ ...fault, ...(hint === undefined ? {} : { hint }) }, { cause: err });
    }
  }
}

function closedError(name: string): HardwareError {
  return new HardwareError({ code: 'closed', message: `${name} is closed` });
}

class OnoffInput implements DigitalInput {
  readonly name: string;
  readonly #gpio: OnoffLine;
  readonly #logger: Logger;
  readonly #listeners = new Set<(level: Level) => void>();
  #closed = false;

  readonly #onEdge = (err: Error | null | undefined, value: Level): void => {
    if (err) {
      this.#logger.warn({ err, gpio: this.name }, 'GPIO edge event failed');
      return;
    }
    for (const listener of [...this.#listeners]) listener(value);
  };

  constructor(name: string, gpio: OnoffLine, logger: Logger) {
    this.name = name;
    this.#gpio = gpio;
    this.#logger = logger;
  }

  read(): Promise<Level> {
    if (this.#closed) return Promise.reject(closedError(this.name));
    return this.#gpio.read();
  }

  watch(listener: (level: Level) => void): () => void {
    if (this.#closed) throw closedError(this.name);
    if (this.#listeners.size === 0) this.#gpio.watch(this.#onEdge);
    this.#listeners.add(listener);
    return () => {
      if (!this.#listeners.delete(listener) || this.#closed) return;
      if (this.#listeners.size === 0) this.#gpio.unwatch(this.#onEdge);
    };
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    this.#listeners.clear();
    try {
      this.#gpio.unwatch();
      this.#gpio.unexport();
    } catch (err) {
      this.#logger.warn({ err, gpio: this.name }, 'GPIO unexport failed');
    }
    return Promise.resolve();
  }
}

class OnoffOutput implements DigitalOutput {
  readonly name: string;
  readonly #gpio: OnoffLine;
  readonly #logger: Logger;
  /** onoff's async writes go through the libuv pool and may land out of order: one at a time. */
  readonly #writes = new Mutex();
  #level: Level = 0;
  #closed = false;

  constructor(name: string, gpio: OnoffLine, logger: Logger) {
    this.name = name;
    this.#gpio = gpio;
    this.#logger = logger;
  }

  get level(): Level {
    return this.#level;
  }

  write(level: Level): Promise<void> {
    if (this.#closed) return Promise.reject(closedError(this.name));
    return this.#writes.run(async () => {
      await this.#gpio.write(level);
      this.#level = level;
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      // Queued behind any write in flight, so the line is left inactive whatever was pending.
      await this.#writes.run(async () => {
        await this.#gpio.write(0);
        this.#level = 0;
      });
    } catch (err) {
      this.#logger.error({ err, gpio: this.name }, 'could not drive the output inactive before releasing it');
    }
    try {
      this.#gpio.unexport();
    } catch (err) {
      this.#logger.warn({ err, gpio: this.name }, 'GPIO unexport failed');
    }
  }
}
