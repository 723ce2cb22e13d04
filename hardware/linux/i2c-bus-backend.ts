import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import type { PromisifiedBus } from 'i2c-bus';
import { HardwareError } from '../fault.js';
import { faultFromIoError } from '../io-error.js';
import { LockedI2cBus, type I2cBackend, type I2cBus } from '../ports/i2c.js';

/**
 * The Raspberry Pi's I2C buses through i2c-dev and the i2c-bus package. Only plain
 * I2C transfers (i2cWrite/i2cRead) are used: readWord/writeWord are SMBus
 * little-endian, and the chips we talk to are big-endian (fivdi/i2c-bus#82).
 */

/** The part of an i2c-bus PromisifiedBus this backend uses. */
export type PlainI2cBus = Pick<PromisifiedBus, 'i2cWrite' | 'i2cRead' | 'close'>;

function shortTransfer(what: 'write' | 'read', done: number, wanted: number): Error {
  return Object.assign(new Error(`short I2C ${what}: ${done} of ${wanted} bytes (Input/output error)`), {
    code: 'EIO',
    errno: -5,
  });
}

/** An I2cBackend over an open i2c-bus handle. A short transfer is an EIO error. */
export class I2cBusBackend implements I2cBackend {
  readonly #bus: PlainI2cBus;

  constructor(bus: PlainI2cBus) {
    this.#bus = bus;
  }

  async write(address: number, bytes: Uint8Array): Promise<void> {
    const buffer = Buffer.from(bytes);
    const { bytesWritten } = await this.#bus.i2cWrite(address, buffer.length, buffer);
    if (bytesWritten < buffer.length) throw shortTransfer('write', bytesWritten, buffer.length);
  }

  async read(address: number, length: number): Promise<Uint8Array> {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await this.#bus.i2cRead(address, length, buffer);
    if (bytesRead < length) throw shortTransfer('read', bytesRead, length);
    return Uint8Array.from(buffer);
  }

  close(): Promise<void> {
    return this.#bus.close();
  }
}

/**
 * Opens /dev/i2c-<busNumber>. i2c-bus opens lazily (it succeeds without the device
 * node and only the first transfer fails), so the node is checked here first: a
 * missing or forbidden bus throws a HardwareError whose hint says how to fix it.
 */
export async function openI2cBus(busNumber: number): Promise<I2cBus> {
  if (!Number.isInteger(busNumber) || busNumber < 0) {
    throw new RangeError(`I2C bus number must be a non-negative integer, got ${busNumber}`);
  }
  const device = `/dev/i2c-${busNumber}`;
  const target = { kind: 'i2c', device } as const;
  try {
    await access(device, constants.R_OK | constants.W_OK);
  } catch (err) {
    throw new HardwareError(faultFromIoError(err, target), { cause: err });
  }
  // Loaded here, not at the top: the native addon is needed only on a machine with I2C,
  // so --simulate works where it was never built.
  let raw: PromisifiedBus;
  try {
    const { openPromisified } = await import('i2c-bus');
    raw = await openPromisified(busNumber);
  } catch (err) {
    const fault = faultFromIoError(err, target);
    throw new HardwareError(
      fault.code === 'io'
        ? { ...fault, hint: 'The i2c-bus native module may be missing: run `npm rebuild i2c-bus` on the Pi.' }
        : fault,
      { cause: err },
    );
  }
  return new LockedI2cBus(device, new I2cBusBackend(raw));
}
