import { stat } from 'node:fs/promises';
import { SerialPort } from 'serialport';
import { systemClock, type Clock, type TimerHandle } from '../clock.js';
import { HardwareError, type Fault } from '../fault.js';
import { faultFromIoError, type IoTarget } from '../io-error.js';
import { silentLogger, type Logger } from '../logger.js';
import type { SerialOpener, SerialSettings, SerialStream } from '../ports/serial.js';

/**
 * Serial devices (a Pi UART, a USB adapter, a pty) through the serialport package,
 * 8N1 with an exclusive lock. serialport's errors carry no errno `code`; errnoOf()
 * recognises their messages ("No such file or directory", "Permission denied",
 * "Cannot lock port"), so the HardwareError says what to fix.
 *
 * When the device vanishes (USB adapter unplugged, pty closed) Linux may answer
 * reads with 0 bytes, which bindings-cpp 13 retries forever without reporting
 * anything (serialport/bindings-cpp#162): no 'close', a busy loop and growing
 * memory. So the device node is also checked every `presenceCheckMs`; once it
 * is gone the port is closed with the fault serialport would have reported.
 */

/** The part of serialport's SerialPort this backend uses (tests substitute a fake). */
export interface SerialPortLike {
  readonly isOpen: boolean;
  open(callback: (err: Error | null) => void): void;
  write(data: Buffer, callback: (err: Error | null | undefined) => void): boolean;
  close(callback: (err: Error | null) => void): void;
  on(event: 'data' | 'close' | 'end' | 'error', listener: (arg: unknown) => void): unknown;
}

export interface SerialOpenerOptions {
  /** Builds the unopened port; default: serialport's SerialPort, 8N1, autoOpen off, lock on. */
  readonly createPort?: (settings: SerialSettings) => SerialPortLike;
  readonly logger?: Logger;
  /** Times the presence checks; default the system clock. */
  readonly clock?: Clock;
  /** How often to check that the device node still exists; default 1000 ms, 0 = never. */
  readonly presenceCheckMs?: number;
}

const DEFAULT_PRESENCE_CHECK_MS = 1000;

function createSerialPort(settings: SerialSettings): SerialPortLike {
  return new SerialPort({
    path: settings.path,
    baudRate: settings.baudRate,
    dataBits: 8,
    parity: 'none',
    stopBits: 1,
    autoOpen: false,
    // flock(): a second opener (another easygas, a getty) fails with "Cannot lock port".
    lock: true,
  });
}

class SerialPortStream implements SerialStream {
  readonly path: string;
  readonly #port: SerialPortLike;
  readonly #target: IoTarget;
  readonly #dataListeners = new Set<(chunk: Uint8Array) => void>();
  readonly #closeListeners = new Set<(fault?: Fault) => void>();
  readonly #clock: Clock;
  readonly #logger: Logger;
  #ended = false;
  /** Set when the device was lost: the close that follows is not a clean one. */
  #vanished: Fault | undefined;
  #closeRequested = false;
  #presenceTimer: TimerHandle | undefined;

  constructor(path: string, port: SerialPortLike, logger: Logger, clock: Clock, presenceCheckMs: number) {
    this.path = path;
    this.#port = port;
    this.#target = { kind: 'serial', device: path };
    this.#clock = clock;
    this.#logger = logger;
    port.on('data', (chunk) => {
      if (!(chunk instanceof Uint8Array)) return;
      for (const listener of [...this.#dataListeners]) listener(chunk);
    });
    // serialport emits 'close' with a DisconnectedError (err.disconnected) when the
    // device vanished, with null after close().
    port.on('close', (err) => {
      // Only close() ends the port cleanly; a stream torn down on its own lost its device.
      const fault =
        err instanceof Error
          ? faultFromIoError(err, this.#target)
          : (this.#vanished ?? (this.#closeRequested ? undefined : this.#lost('closed unexpectedly')));
      if (fault !== undefined) logger.warn({ path, fault }, 'serial port lost');
      this.#end(fault);
    });
    // End of file: a hung-up tty (pty master gone) reads 0 bytes.
    port.on('end', () => {
      if (this.#closeRequested) return;
      this.#vanished ??= this.#lost('reached end of file');
      this.#forceClose();
    });
    // Without a listener an async error would crash the process; reads and writes report their own.
    port.on('error', (err) => logger.warn({ path, err }, 'serial port error'));
    if (presenceCheckMs > 0) this.#watchPresence(presenceCheckMs);
  }

  #watchPresence(everyMs: number): void {
    this.#presenceTimer = this.#clock.setTimeout(() => {
      this.#presenceTimer = undefined;
      stat(this.path).then(
        () => {
          if (!this.#ended) this.#watchPresence(everyMs);
        },
        (err: unknown) => {
          const fault = faultFromIoError(err, this.#target);
          if (fault.code !== 'missing') {
            if (!this.#ended) this.#watchPresence(everyMs);
            return;
          }
          this.#vanished ??= this.#lost('disappeared while open');
          this.#forceClose();
        },
      );
    }, everyMs);
  }

  /** A port lost while open, not one that was never there: the unplugged-adapter fault and hint. */
  #lost(what: string): Fault {
    const fault = faultFromIoError(new Error(`${what} (Input/output error)`), this.#target);
    return { ...fault, message: `${this.path} ${what}` };
  }

  #forceClose(): void {
    if (this.#ended) return;
    if (!this.#port.isOpen) {
      this.#end(this.#vanished);
      return;
    }
    this.#port.close((err) => {
      if (err) this.#logger.warn({ path: this.path, err }, 'closing a vanished serial port failed');
      // serialport emits 'close' first; this covers a close that failed.
      this.#end(this.#vanished);
    });
  }

  get isOpen(): boolean {
    return !this.#ended && this.#port.isOpen;
  }

  write(bytes: Uint8Array): Promise<void> {
    // serialport queues writes on a closed port until it opens again, i.e. forever.
    if (!this.isOpen) {
      return Promise.reject(new HardwareError({ code: 'closed', message: `${this.path} is not open` }));
    }
    return new Promise((resolve, reject) => {
      this.#port.write(Buffer.from(bytes), (err) => {
        if (err) reject(new HardwareError(faultFromIoError(err, this.#target), { cause: err }));
        else resolve();
      });
    });
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    this.#dataListeners.add(listener);
    return () => this.#dataListeners.delete(listener);
  }

  onClose(listener: (fault?: Fault) => void): () => void {
    this.#closeListeners.add(listener);
    return () => this.#closeListeners.delete(listener);
  }

  close(): Promise<void> {
    this.#closeRequested = true;
    if (!this.#port.isOpen) {
      this.#end(undefined);
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      this.#port.close((err) => {
        if (err) reject(new HardwareError(faultFromIoError(err, this.#target), { cause: err }));
        else resolve();
      });
    });
  }

  #end(fault: Fault | undefined): void {
    if (this.#ended) return;
    this.#ended = true;
    if (this.#presenceTimer !== undefined) this.#clock.clearTimeout(this.#presenceTimer);
    this.#presenceTimer = undefined;
    const listeners = [...this.#closeListeners];
    this.#closeListeners.clear();
    this.#dataListeners.clear();
    for (const listener of listeners) listener(fault);
  }
}

/** A SerialOpener over serialport (or over `createPort`, for tests). */
export function createSerialOpener(options: SerialOpenerOptions = {}): SerialOpener {
  const createPort = options.createPort ?? createSerialPort;
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock();
  const presenceCheckMs = options.presenceCheckMs ?? DEFAULT_PRESENCE_CHECK_MS;
  if (!(presenceCheckMs >= 0)) throw new RangeError(`presenceCheckMs must be >= 0, got ${presenceCheckMs}`);
  return async (settings) => {
    if (!Number.isInteger(settings.baudRate) || settings.baudRate <= 0) {
      throw new RangeError(`baud rate must be a positive integer, got ${settings.baudRate}`);
    }
    const port = createPort(settings);
    await new Promise<void>((resolve, reject) => {
      port.open((err) => {
        if (err) {
          const fault = faultFromIoError(err, { kind: 'serial', device: settings.path });
          reject(new HardwareError(fault, { cause: err }));
        } else resolve();
      });
    });
    return new SerialPortStream(settings.path, port, logger, clock, presenceCheckMs);
  };
}

/** Opens a serial device 8N1, locked; rejects with a HardwareError whose hint says what to fix. */
export const openSerialPort: SerialOpener = (settings) => createSerialOpener()(settings);
