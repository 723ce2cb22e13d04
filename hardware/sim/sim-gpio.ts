import type { Clock } from '../clock.js';
import { HardwareError } from '../fault.js';
import type { DigitalInput, DigitalOutput, Gpio, InputOptions, Level, OutputOptions } from '../ports/digital.js';

/** One change of a line's physical level. */
export interface LevelChange {
  /** Monotonic ms on the simulator's clock. */
  readonly atMs: number;
  readonly level: Level;
}

export interface BounceOptions {
  /** How many level changes, the last one landing on the final level (≥ 1). */
  readonly transitions: number;
  /** Time from the first change to the last, spread evenly. */
  readonly spanMs: number;
}

interface SimLine {
  /** The physical level of the pin. */
  physical: Level;
  owner: 'input' | 'output' | undefined;
  activeLow: boolean;
  readonly listeners: Set<(level: Level) => void>;
  readonly history: LevelChange[];
  writeLatencyMs: number;
  failingWrites: number;
  failErrno: string;
  writes: number;
}

const invert = (level: Level, activeLow: boolean): Level => (activeLow ? (level === 1 ? 0 : 1) : level);

/**
 * GPIO lines of a simulated Pi, on a Clock. Inputs are set from outside (a
 * simulated leak contact, a test); outputs record every change of their pin, so
 * a test can check a buzzer pattern's timing to the millisecond.
 *
 * Like the real pins: edge events arrive asynchronously (a clock timer of 0 ms,
 * as epoll delivers on a later turn), active-low inverts reads, writes and
 * events, opening an open line fails with 'busy', and a write that completes
 * after close() is dropped (the real fd is gone).
 */
export class SimGpio implements Gpio {
  readonly #clock: Clock;
  readonly #lines = new Map<number, SimLine>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  // A throw inside a Promise executor rejects it: opening fails asynchronously, like the real backend.
  openInput(line: number, options: InputOptions = {}): Promise<DigitalInput> {
    return new Promise((resolve) => {
      const state = this.#claim(line, 'input', options.activeLow ?? false);
      resolve(new SimInput(this, line, state));
    });
  }

  openOutput(line: number, options: OutputOptions = {}): Promise<DigitalOutput> {
    return new Promise((resolve) => {
      const activeLow = options.activeLow ?? false;
      const state = this.#claim(line, 'output', activeLow);
      // Opens inactive, like the sysfs backend.
      this.#drive(state, invert(0, activeLow), true);
      resolve(new SimOutput(this, line, state, this.#clock));
    });
  }

  /** Sets the physical level of an input pin (open or not); an open input gets an edge event. */
  setInput(line: number, physicalLevel: Level): void {
    const state = this.#line(line);
    if (state.owner === 'output') throw new Error(`GPIO${line} is an output; it cannot be driven from outside`);
    if (state.physical === physicalLevel) return;
    state.physical = physicalLevel;
    if (state.owner !== 'input') return;
    const logical = invert(physicalLevel, state.activeLow);
    this.#clock.setTimeout(() => {
      for (const listener of [...state.listeners]) listener(logical);
    }, 0);
  }

  /**
   * Bounces an input: `transitions` changes spread over `spanMs`, the last one
   * landing on `finalLevel`. Resolves after the last change.
   */
  bounce(line: number, finalLevel: Level, options: BounceOptions): Promise<void> {
    const { transitions, spanMs } = options;
    if (!Number.isInteger(transitions) || transitions < 1) throw new RangeError('transitions must be an integer ≥ 1');
    if (!(spanMs >= 0)) throw new RangeError('spanMs must be ≥ 0');
    const levelOf = (k: number): Level => ((transitions - 1 - k) % 2 === 0 ? finalLevel : invert(finalLevel, true));
    this.setInput(line, levelOf(0));
    if (transitions === 1) return Promise.resolve();
    const start = this.#clock.monotonic();
    return new Promise((resolve) => {
      const step = (k: number): void => {
        const due = start + Math.round((k * spanMs) / (transitions - 1));
        this.#clock.setTimeout(() => {
          this.setInput(line, levelOf(k));
          if (k === transitions - 1) resolve();
          else step(k + 1);
        }, Math.max(0, due - this.#clock.monotonic()));
      };
      step(1);
    });
  }

  /** The physical level of a line now (0 for a line never touched). */
  output(line: number): Level {
    return this.#lines.get(line)?.physical ?? 0;
  }

  /** Every change of an output's physical level, the opening level first. */
  history(line: number): readonly LevelChange[] {
    return [...(this.#lines.get(line)?.history ?? [])];
  }

  /** How many writes reached an output's pin (including close()). */
  writeCount(line: number): number {
    return this.#lines.get(line)?.writes ?? 0;
  }

  isOpen(line: number): boolean {
    return this.#lines.get(line)?.owner !== undefined;
  }

  /** Each write to the line takes `ms` of clock time before it reaches the pin. */
  setWriteLatency(line: number, ms: number): void {
    this.#line(line).writeLatencyMs = ms;
  }

  /** The next `count` writes to the line reject with `errno` and leave the pin as it is. */
  failWrites(line: number, count: number, errno = 'EIO'): void {
    const state = this.#line(line);
    state.failingWrites = count;
    state.failErrno = errno;
  }

  /** @internal The pin side of SimOutput.write. */
  applyWrite(state: SimLine, logical: Level): void {
    this.#drive(state, invert(logical, state.activeLow), false);
  }

  /** @internal */
  takeWriteFault(state: SimLine, line: number): Error | undefined {
    if (state.failingWrites <= 0) return undefined;
    state.failingWrites--;
    return Object.assign(new Error(`${state.failErrno}: simulated write failure on GPIO${line}`), {
      code: state.failErrno,
    });
  }

  /** @internal */
  release(state: SimLine): void {
    state.owner = undefined;
    state.listeners.clear();
  }

  #drive(state: SimLine, physical: Level, opening: boolean): void {
    if (!opening) state.writes++;
    if (opening || state.physical !== physical) {
      state.history.push({ atMs: this.#clock.monotonic(), level: physical });
    }
    state.physical = physical;
  }

  #claim(line: number, owner: 'input' | 'output', activeLow: boolean): SimLine {
    const state = this.#line(line);
    if (state.owner !== undefined) {
      throw new HardwareError({
        code: 'busy',
        message: `GPIO${line} is already open as an ${state.owner}`,
        hint: 'Each GPIO line can be used once: check the config for two sensors or outputs on the same pin.',
      });
    }
    state.owner = owner;
    state.activeLow = activeLow;
    return state;
  }

  #line(line: number): SimLine {
    if (!Number.isInteger(line) || line < 0) throw new RangeError(`not a GPIO line: ${line}`);
    let state = this.#lines.get(line);
    if (state === undefined) {
      state = {
        physical: 0,
        owner: undefined,
        activeLow: false,
        listeners: new Set(),
        history: [],
        writeLatencyMs: 0,
        failingWrites: 0,
        failErrno: 'EIO',
        writes: 0,
      };
      this.#lines.set(line, state);
    }
    return state;
  }
}

function closedError(name: string): HardwareError {
  return new HardwareError({ code: 'closed', message: `${name} is closed` });
}

class SimInput implements DigitalInput {
  readonly name: string;
  readonly #state: SimLine;
  readonly #gpio: SimGpio;
  #closed = false;

  constructor(gpio: SimGpio, line: number, state: SimLine) {
    this.name = `GPIO${line}`;
    this.#gpio = gpio;
    this.#state = state;
  }

  read(): Promise<Level> {
    if (this.#closed) return Promise.reject(closedError(this.name));
    return Promise.resolve(invert(this.#state.physical, this.#state.activeLow));
  }

  watch(listener: (level: Level) => void): () => void {
    if (this.#closed) throw closedError(this.name);
    // Wrapped, so that the same function watched twice is two subscriptions.
    const wrapped = (level: Level): void => listener(level);
    this.#state.listeners.add(wrapped);
    return () => {
      this.#state.listeners.delete(wrapped);
    };
  }

  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#gpio.release(this.#state);
    }
    return Promise.resolve();
  }
}

class SimOutput implements DigitalOutput {
  readonly name: string;
  readonly #line: number;
  readonly #state: SimLine;
  readonly #gpio: SimGpio;
  readonly #clock: Clock;
  #level: Level = 0;
  #closed = false;

  constructor(gpio: SimGpio, line: number, state: SimLine, clock: Clock) {
    this.name = `GPIO${line}`;
    this.#line = line;
    this.#gpio = gpio;
    this.#state = state;
    this.#clock = clock;
  }

  get level(): Level {
    return this.#level;
  }

  write(level: Level): Promise<void> {
    if (this.#closed) return Promise.reject(closedError(this.name));
    const apply = (): void => {
      if (this.#closed) throw closedError(this.name);
      const fault = this.#gpio.takeWriteFault(this.#state, this.#line);
      if (fault !== undefined) throw fault;
      this.#gpio.applyWrite(this.#state, level);
      this.#level = level;
    };
    const latency = this.#state.writeLatencyMs;
    if (latency <= 0) {
      return new Promise((resolve) => {
        apply();
        resolve();
      });
    }
    return new Promise((resolve, reject) => {
      this.#clock.setTimeout(() => {
        try {
          apply();
          resolve();
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      }, latency);
    });
  }

  close(): Promise<void> {
    if (!this.#closed) {
      this.#gpio.applyWrite(this.#state, 0);
      this.#level = 0;
      this.#closed = true;
      this.#gpio.release(this.#state);
    }
    return Promise.resolve();
  }
}
