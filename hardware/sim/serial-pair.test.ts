import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Fault } from '../fault.js';
import { byteByByte, createSerialPair, randomChunking } from './serial-pair.js';
import { seededRandom } from './random.js';

const collect = (chunks: Uint8Array[]): number[] => chunks.flatMap((c) => [...c]);

describe('createSerialPair', () => {
  it('carries bytes both ways, after write() returns, in order across writes', async () => {
    const [a, b] = createSerialPair();
    const atB: Uint8Array[] = [];
    const atA: Uint8Array[] = [];
    b.onData((c) => atB.push(c));
    a.onData((c) => atA.push(c));
    const written = a.write(Uint8Array.of(1, 2, 3));
    assert.deepEqual(atB, [], 'nothing arrives synchronously inside write()');
    await written;
    void a.write(Uint8Array.of(4));
    void b.write(Uint8Array.of(9));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(collect(atB), [1, 2, 3, 4]);
    assert.deepEqual(collect(atA), [9]);
    assert.equal(a.path, 'sim:ttyA');
    assert.equal(b.path, 'sim:ttyB');
  });

  it('splits writes into chunks when asked, without reordering or interleaving them', async () => {
    for (const chunking of [byteByByte, randomChunking(seededRandom(4), 3)]) {
      const [a, b] = createSerialPair('x', 'y', { chunking });
      const got: Uint8Array[] = [];
      b.onData((c) => got.push(c));
      const first = Uint8Array.from({ length: 40 }, (_, i) => i);
      const second = Uint8Array.from({ length: 40 }, (_, i) => 100 + i);
      void a.write(first);
      void a.write(second);
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(collect(got), [...first, ...second]);
      assert.ok(got.length > 2, `${got.length} chunks`);
      assert.ok(got.every((c) => c.length <= 3));
    }
  });

  it('copies what was written: changing the buffer afterwards changes nothing on the wire', async () => {
    const [a, b] = createSerialPair();
    const got: Uint8Array[] = [];
    b.onData((c) => got.push(c));
    const buffer = Uint8Array.of(7, 7);
    void a.write(buffer);
    buffer[0] = 0;
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(collect(got), [7, 7]);
  });

  it('close() on either end closes both, once, without a fault; writes then reject', async () => {
    const [a, b] = createSerialPair();
    const closes: (string | undefined)[] = [];
    a.onClose((f) => closes.push(`a:${f?.code ?? 'clean'}`));
    b.onClose((f) => closes.push(`b:${f?.code ?? 'clean'}`));
    await b.close();
    await a.close();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(closes.sort(), ['a:clean', 'b:clean']);
    assert.equal(a.isOpen, false);
    assert.equal(b.isOpen, false);
    await assert.rejects(a.write(Uint8Array.of(1)), /Port is not open/);
  });

  it('disconnect() closes both ends with an io fault naming each end, and drops bytes in flight', async () => {
    const [a, b] = createSerialPair('sim:sensor', '/dev/ttyUSB0');
    const faults: Fault[] = [];
    const got: Uint8Array[] = [];
    b.onData((c) => got.push(c));
    a.onClose((f) => f && faults.push(f));
    b.onClose((f) => f && faults.push(f));
    void a.write(Uint8Array.of(1, 2, 3));
    b.disconnect();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(got, []);
    assert.deepEqual(
      faults.map((f) => f.code),
      ['io', 'io'],
    );
    assert.ok(faults.some((f) => f.message.includes('/dev/ttyUSB0')));
    assert.ok(faults.some((f) => f.message.includes('sim:sensor')));
    assert.match(faults[0]?.hint ?? '', /USB unplugged/);
  });
});
