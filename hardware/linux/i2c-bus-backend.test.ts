import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { HardwareError } from '../fault.js';
import { I2cBusBackend, openI2cBus, type PlainI2cBus } from './i2c-bus-backend.js';

interface Call {
  readonly op: 'i2cWrite' | 'i2cRead';
  readonly address: number;
  readonly length: number;
  readonly bytes: number[];
}

/** Stands in for i2c-bus's PromisifiedBus; reports `transferred` bytes per call. */
function fakeBus(answer: number[], transferred?: number): PlainI2cBus & { calls: Call[]; closed: boolean } {
  const calls: Call[] = [];
  const fake = {
    calls,
    closed: false,
    i2cWrite(address: number, length: number, buffer: Buffer) {
      calls.push({ op: 'i2cWrite' as const, address, length, bytes: [...buffer.subarray(0, length)] });
      return Promise.resolve({ bytesWritten: transferred ?? length, buffer });
    },
    i2cRead(address: number, length: number, buffer: Buffer) {
      Buffer.from(answer).copy(buffer, 0, 0, length);
      calls.push({ op: 'i2cRead' as const, address, length, bytes: [] });
      return Promise.resolve({ bytesRead: transferred ?? length, buffer });
    },
    close() {
      fake.closed = true;
      return Promise.resolve();
    },
  };
  return fake;
}

describe('openI2cBus', () => {
  it("rejects a bus that does not exist with a HardwareError 'missing' that says how to enable I2C", async (t) => {
    if (existsSync('/dev/i2c-97')) {
      t.skip('this machine has /dev/i2c-97');
      return;
    }
    const err: unknown = await openI2cBus(97).then(
      () => assert.fail('expected openI2cBus(97) to reject'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof HardwareError, String(err));
    assert.equal(err.code, 'missing');
    assert.match(err.message, /\/dev\/i2c-97/);
    assert.match(err.hint ?? '', /dtparam=i2c_arm=on/);
  });

  it('refuses a bus number that is not a non-negative integer', async () => {
    await assert.rejects(openI2cBus(-1), RangeError);
    await assert.rejects(openI2cBus(1.5), RangeError);
  });
});

describe('I2cBusBackend', () => {
  it('writes with plain i2cWrite, the bytes exactly as given', async () => {
    const bus = fakeBus([]);
    await new I2cBusBackend(bus).write(0x48, Uint8Array.of(0x01, 0xc3, 0x83));
    assert.deepEqual(bus.calls, [{ op: 'i2cWrite', address: 0x48, length: 3, bytes: [0x01, 0xc3, 0x83] }]);
  });

  it('reads with plain i2cRead and returns the bytes in wire order (MSB first)', async () => {
    const bus = fakeBus([0x1f, 0x40]);
    const bytes = await new I2cBusBackend(bus).read(0x49, 2);
    assert.deepEqual([...bytes], [0x1f, 0x40]);
    assert.deepEqual(bus.calls, [{ op: 'i2cRead', address: 0x49, length: 2, bytes: [] }]);
  });

  it('treats a short write or read as EIO', async () => {
    const shortWrite = new I2cBusBackend(fakeBus([], 1));
    await assert.rejects(shortWrite.write(0x48, Uint8Array.of(1, 2, 3)), { code: 'EIO', message: /1 of 3 bytes/ });
    const shortRead = new I2cBusBackend(fakeBus([0xaa, 0xbb], 1));
    await assert.rejects(shortRead.read(0x48, 2), { code: 'EIO', message: /1 of 2 bytes/ });
  });

  it('passes bus errors through unchanged for the driver to classify', async () => {
    const failing: PlainI2cBus = {
      ...fakeBus([]),
      i2cRead: () => Promise.reject(Object.assign(new Error('Remote I/O error'), { code: 'EREMOTEIO', errno: -121 })),
    };
    await assert.rejects(new I2cBusBackend(failing).read(0x48, 2), { code: 'EREMOTEIO' });
  });

  it('closes the underlying bus', async () => {
    const bus = fakeBus([]);
    await new I2cBusBackend(bus).close();
    assert.equal(bus.closed, true);
  });
});
