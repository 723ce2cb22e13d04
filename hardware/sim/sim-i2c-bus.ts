import { LockedI2cBus, type I2cBackend, type I2cBus } from '../ports/i2c.js';

/**
 * A simulated I2C bus: register-level device emulators attach at addresses, and
 * transfers reach them as raw bytes, exactly as drivers send them to a Pi. Faults
 * can be injected per address, and every transfer is logged so tests can check a
 * driver's wire traffic byte for byte.
 */

/** A device on the simulated bus. Each call is one I2C transaction (START…STOP). */
export interface SimI2cDevice {
  write(bytes: Uint8Array): void;
  read(length: number): Uint8Array;
}

export type SimI2cErrno = 'EIO' | 'EREMOTEIO' | 'ETIMEDOUT';

/** One transfer as it happened on the simulated wire. */
export interface I2cTransferRecord {
  readonly address: number;
  readonly direction: 'write' | 'read';
  /** Bytes written, or bytes read back (empty when the transfer failed). */
  readonly bytes: readonly number[];
  /** The errno the transfer failed with, if it did. */
  readonly error?: string;
}

/** Linux errno numbers and strerror texts, as i2c-dev reports them. */
const ERRNO: Readonly<Record<SimI2cErrno, { errno: number; message: string }>> = {
  EIO: { errno: -5, message: 'Input/output error' },
  EREMOTEIO: { errno: -121, message: 'Remote I/O error' },
  ETIMEDOUT: { errno: -110, message: 'Connection timed out' },
};

function ioError(code: SimI2cErrno | 'EBADF'): Error {
  if (code === 'EBADF') return Object.assign(new Error('Bad file descriptor'), { code, errno: -9 });
  const { errno, message } = ERRNO[code];
  return Object.assign(new Error(message), { code, errno });
}

function checkAddress(address: number): void {
  if (!Number.isInteger(address) || address < 0 || address > 0x7f) {
    throw new RangeError(`not a 7-bit I2C address: ${address}`);
  }
}

export interface SimI2cBackendOptions {
  /** Transfers kept in `log` (oldest dropped first), so a long simulation does not grow without bound. */
  readonly logLimit?: number;
}

export class SimI2cBackend implements I2cBackend {
  readonly #devices = new Map<number, SimI2cDevice>();
  readonly #failures = new Map<number, SimI2cErrno[]>();
  readonly #log: I2cTransferRecord[] = [];
  readonly #logLimit: number;
  #closed = false;

  constructor(options: SimI2cBackendOptions = {}) {
    this.#logLimit = options.logLimit ?? 1000;
  }

  attach(address: number, device: SimI2cDevice): void {
    checkAddress(address);
    if (this.#devices.has(address)) throw new Error(`a simulated device is already at address ${address}`);
    this.#devices.set(address, device);
  }

  detach(address: number): void {
    this.#devices.delete(address);
  }

  /** The next `times` transfers to `address` fail with `errno` without reaching the device. */
  failNext(address: number, errno: SimI2cErrno, times = 1): void {
    checkAddress(address);
    const queue = this.#failures.get(address) ?? [];
    for (let i = 0; i < times; i++) queue.push(errno);
    this.#failures.set(address, queue);
  }

  /** The most recent transfers, oldest first. */
  get log(): readonly I2cTransferRecord[] {
    return [...this.#log];
  }

  clearLog(): void {
    this.#log.length = 0;
  }

  write(address: number, bytes: Uint8Array): Promise<void> {
    return this.#transfer(address, 'write', [...bytes], (device) => {
      device.write(Uint8Array.from(bytes));
      return [...bytes];
    }).then(() => undefined);
  }

  read(address: number, length: number): Promise<Uint8Array> {
    return this.#transfer(address, 'read', [], (device) => {
      const data = device.read(length);
      // A device that sends fewer bytes than asked is a short read: EIO, as the backend on a Pi reports it.
      if (data.length < length) throw ioError('EIO');
      return [...data.subarray(0, length)];
    }).then((bytes) => Uint8Array.from(bytes));
  }

  close(): Promise<void> {
    this.#closed = true;
    return Promise.resolve();
  }

  async #transfer(
    address: number,
    direction: 'write' | 'read',
    attempted: number[],
    deliver: (device: SimI2cDevice) => number[],
  ): Promise<number[]> {
    // Resolve asynchronously, like a real transfer on the libuv thread pool.
    await Promise.resolve();
    if (this.#closed) throw ioError('EBADF');
    const injected = this.#failures.get(address)?.shift();
    const device = this.#devices.get(address);
    if (injected !== undefined || device === undefined) {
      // Nothing ACKs the address byte: Linux's i2c-dev says EREMOTEIO.
      const code = injected ?? 'EREMOTEIO';
      this.#record({ address, direction, bytes: direction === 'write' ? attempted : [], error: code });
      throw ioError(code);
    }
    try {
      const bytes = deliver(device);
      this.#record({ address, direction, bytes });
      return bytes;
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      this.#record({ address, direction, bytes: [], error: typeof code === 'string' ? code : 'error' });
      throw err;
    }
  }

  #record(entry: I2cTransferRecord): void {
    this.#log.push(entry);
    if (this.#log.length > this.#logLimit) this.#log.splice(0, this.#log.length - this.#logLimit);
  }
}

/** A simulated bus ready for drivers: the LockedI2cBus they use, and the backend to attach devices to. */
export function createSimI2cBus(
  device = 'sim:/dev/i2c-1',
  options: SimI2cBackendOptions = {},
): { bus: I2cBus; backend: SimI2cBackend } {
  const backend = new SimI2cBackend(options);
  return { bus: new LockedI2cBus(device, backend), backend };
}
