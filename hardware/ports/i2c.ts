import { Mutex } from '../mutex.js';

/** Raw I2C transfers: one START…STOP each, no locking. */
export interface I2cTransfer {
  /** One write transaction of `bytes` to the 7-bit `address`. */
  write(address: number, bytes: Uint8Array): Promise<void>;
  /** One read transaction of `length` bytes from `address`. */
  read(address: number, length: number): Promise<Uint8Array>;
}

/** What a bus backend (i2c-bus on a Pi, the simulator) provides. */
export interface I2cBackend extends I2cTransfer {
  close(): Promise<void>;
}

/**
 * An I2C bus shared by several drivers. All traffic goes through `transaction`,
 * which holds the bus mutex for the whole callback: a driver's pointer-write,
 * poll and read sequence is never interleaved with another driver's.
 */
export interface I2cBus {
  /** What to call the bus in messages, e.g. "/dev/i2c-1". */
  readonly device: string;
  transaction<T>(fn: (io: I2cTransfer) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The one I2cBus implementation: a backend plus one mutex per bus. */
export class LockedI2cBus implements I2cBus {
  readonly device: string;
  readonly #backend: I2cBackend;
  readonly #mutex = new Mutex();
  #closed = false;

  constructor(device: string, backend: I2cBackend) {
    this.device = device;
    this.#backend = backend;
  }

  transaction<T>(fn: (io: I2cTransfer) => Promise<T>): Promise<T> {
    return this.#mutex.run(async () => {
      if (this.#closed) throw Object.assign(new Error(`${this.device} is closed`), { code: 'EBADF' });
      return fn(this.#backend);
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    // Let in-flight transactions finish before the file descriptor goes away.
    await this.#mutex.run(async () => {
      this.#closed = true;
      await this.#backend.close();
    });
  }
}
