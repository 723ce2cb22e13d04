import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSimI2cBus, SimI2cBackend, type SimI2cDevice } from './sim-i2c-bus.js';

/** A device that remembers what it was sent and answers with fixed bytes. */
function echoDevice(answer: number[]): SimI2cDevice & { received: number[][] } {
  const received: number[][] = [];
  return {
    received,
    write: (bytes) => void received.push([...bytes]),
    read: (length) => Uint8Array.from(answer.slice(0, length)),
  };
}

function errorOf(promise: Promise<unknown>): Promise<{ code?: string; errno?: number; message: string }> {
  return promise.then(
    () => assert.fail('expected the transfer to fail'),
    (err: unknown) => err as { code?: string; errno?: number; message: string },
  );
}

describe('SimI2cBackend', () => {
  it('delivers writes and reads to the device at the address and logs them', async () => {
    const { bus, backend } = createSimI2cBus();
    const device = echoDevice([0xab, 0xcd]);
    backend.attach(0x48, device);
    const read = await bus.transaction(async (io) => {
      await io.write(0x48, Uint8Array.of(0x01, 0xc3, 0x83));
      return io.read(0x48, 2);
    });
    assert.deepEqual([...read], [0xab, 0xcd]);
    assert.deepEqual(device.received, [[0x01, 0xc3, 0x83]]);
    assert.deepEqual(backend.log, [
      { address: 0x48, direction: 'write', bytes: [0x01, 0xc3, 0x83] },
      { address: 0x48, direction: 'read', bytes: [0xab, 0xcd] },
    ]);
    assert.equal(bus.device, 'sim:/dev/i2c-1');
  });

  it('rejects like Linux when nothing ACKs the address: EREMOTEIO, errno -121', async () => {
    const { bus, backend } = createSimI2cBus();
    const err = await errorOf(bus.transaction((io) => io.read(0x49, 2)));
    assert.equal(err.code, 'EREMOTEIO');
    assert.equal(err.errno, -121);
    assert.equal(err.message, 'Remote I/O error');
    assert.deepEqual(backend.log, [{ address: 0x49, direction: 'read', bytes: [], error: 'EREMOTEIO' }]);
  });

  it('fails the next N transfers with an injected errno, then recovers', async () => {
    const { bus, backend } = createSimI2cBus();
    const device = echoDevice([1, 2]);
    backend.attach(0x48, device);
    backend.failNext(0x48, 'EIO', 2);
    const first = await errorOf(bus.transaction((io) => io.write(0x48, Uint8Array.of(0))));
    const second = await errorOf(bus.transaction((io) => io.read(0x48, 2)));
    assert.equal(first.code, 'EIO');
    assert.equal(first.errno, -5);
    assert.equal(second.code, 'EIO');
    assert.deepEqual(device.received, [], 'a failed transfer never reaches the device');
    assert.deepEqual([...(await bus.transaction((io) => io.read(0x48, 2)))], [1, 2]);
  });

  it('injects ETIMEDOUT and EREMOTEIO only at the address named', async () => {
    const backend = new SimI2cBackend();
    backend.attach(0x48, echoDevice([7, 7]));
    backend.attach(0x49, echoDevice([9, 9]));
    backend.failNext(0x49, 'ETIMEDOUT');
    assert.deepEqual([...(await backend.read(0x48, 2))], [7, 7]);
    assert.equal((await errorOf(backend.read(0x49, 2))).code, 'ETIMEDOUT');
    assert.deepEqual([...(await backend.read(0x49, 2))], [9, 9]);
  });

  it('treats a short answer from a device as EIO', async () => {
    const backend = new SimI2cBackend();
    backend.attach(0x48, echoDevice([1]));
    assert.equal((await errorOf(backend.read(0x48, 2))).code, 'EIO');
  });

  it('detaches a device: the address stops answering', async () => {
    const backend = new SimI2cBackend();
    backend.attach(0x4a, echoDevice([1, 2]));
    backend.detach(0x4a);
    assert.equal((await errorOf(backend.read(0x4a, 2))).code, 'EREMOTEIO');
  });

  it('refuses a second device at one address and addresses beyond 7 bits', () => {
    const backend = new SimI2cBackend();
    backend.attach(0x48, echoDevice([]));
    assert.throws(() => backend.attach(0x48, echoDevice([])), /already/);
    assert.throws(() => backend.attach(0x80, echoDevice([])), RangeError);
  });

  it('keeps only the most recent transfers in the log', async () => {
    const backend = new SimI2cBackend({ logLimit: 3 });
    backend.attach(0x48, echoDevice([]));
    for (let i = 0; i < 5; i++) await backend.write(0x48, Uint8Array.of(i));
    assert.deepEqual(
      backend.log.map((r) => r.bytes[0]),
      [2, 3, 4],
    );
    backend.clearLog();
    assert.deepEqual(backend.log, []);
  });

  it('fails transfers after close with EBADF', async () => {
    const backend = new SimI2cBackend();
    backend.attach(0x48, echoDevice([1, 2]));
    await backend.close();
    assert.equal((await errorOf(backend.read(0x48, 2))).code, 'EBADF');
  });
});
