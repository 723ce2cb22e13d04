import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { HardwareError, type Fault } from '../fault.js';
import { ManualClock } from '../sim/manual-clock.js';
import type { SerialSettings, SerialStream } from '../ports/serial.js';
import { createPtyPair, requireSocat } from '../test-support/socat.js';
import { createSerialOpener, openSerialPort, type SerialPortLike } from './serialport-stream.js';

/** A stand-in for serialport's SerialPort: fails open() with a given error, or opens. */
class FakePort extends EventEmitter implements SerialPortLike {
  isOpen = false;
  readonly written: number[] = [];
  constructor(readonly openError?: Error) {
    super();
  }
  open(callback: (err: Error | null) => void): void {
    this.isOpen = this.openError === undefined;
    setImmediate(() => callback(this.openError ?? null));
  }
  write(data: Buffer, callback: (err: Error | null | undefined) => void): boolean {
    this.written.push(...data);
    setImmediate(() => callback(null));
    return true;
  }
  close(callback: (err: Error | null) => void): void {
    this.isOpen = false;
    setImmediate(() => {
      this.emit('close', null);
      callback(null);
    });
  }
  /** What serialport does when the device vanishes under a read. */
  unplug(): void {
    this.isOpen = false;
    this.emit('close', Object.assign(new Error('bad file descriptor'), { disconnected: true }));
  }
}

async function openFake(port: FakePort, path = '/dev/ttyAMA0', clock?: ManualClock): Promise<SerialStream> {
  // These paths do not exist here: no presence checks unless a test drives them with a clock.
  const open = createSerialOpener({ createPort: (_: SerialSettings) => port, clock, presenceCheckMs: clock ? 1000 : 0 });
  return open({ path, baudRate: 9600 });
}

async function openError(err: Error): Promise<HardwareError> {
  const rejection = await openFake(new FakePort(err)).then(
    () => assert.fail('open should have failed'),
    (e: unknown) => e,
  );
  assert.ok(rejection instanceof HardwareError, String(rejection));
  return rejection;
}

describe('openSerialPort', () => {
  it('rejects a missing device with code missing and the enable_uart hint (real serialport)', async () => {
    const err = await openSerialPort({ path: '/dev/ttyEASYGAS-nonexistent', baudRate: 9600 }).then(
      () => assert.fail('opened a missing device'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof HardwareError);
    assert.equal(err.code, 'missing');
    assert.match(err.message, /\/dev\/ttyEASYGAS-nonexistent does not exist/);
    assert.match(err.hint ?? '', /enable_uart=1/);
  });

  // The messages are serialport's own (bindings-cpp, Linux), as captured on this machine.
  it('maps "Permission denied" to permission with the dialout hint', async () => {
    const err = await openError(new Error('Error: Permission denied, cannot open /dev/ttyAMA0'));
    assert.equal(err.code, 'permission');
    assert.match(err.hint ?? '', /usermod -aG dialout/);
  });

  it('maps "Cannot lock port" to busy with the serial console hint', async () => {
    const err = await openError(new Error('Error Resource temporarily unavailable Cannot lock port'));
    assert.equal(err.code, 'busy');
    assert.match(err.message, /\/dev\/ttyAMA0 is held by another process/);
    assert.match(err.hint ?? '', /serial login console/);
    assert.match(err.hint ?? '', /console=serial0/);
  });

  it('refuses a nonsensical baud rate before touching the device', async () => {
    await assert.rejects(openSerialPort({ path: '/dev/null', baudRate: 0 }), RangeError);
  });
});

describe('SerialStream over serialport', () => {
  it('passes data and writes through, and close() ends it without a fault', async () => {
    const port = new FakePort();
    const stream = await openFake(port);
    const got: number[] = [];
    stream.onData((chunk) => got.push(...chunk));
    port.emit('data', Buffer.from([1, 2, 3]));
    await stream.write(Uint8Array.of(0x55));
    assert.deepEqual(got, [1, 2, 3]);
    assert.deepEqual(port.written, [0x55]);
    const closes: (Fault | undefined)[] = [];
    stream.onClose((f) => closes.push(f));
    await stream.close();
    assert.deepEqual(closes, [undefined]);
    assert.equal(stream.isOpen, false);
    await assert.rejects(stream.write(Uint8Array.of(1)), (e: unknown) => e instanceof HardwareError && e.code === 'closed');
    await stream.close(); // twice is fine
  });

  it('reports an unplugged adapter to onClose listeners as an io fault', async () => {
    const port = new FakePort();
    const stream = await openFake(port, '/dev/ttyUSB0');
    const closes: (Fault | undefined)[] = [];
    stream.onClose((f) => closes.push(f));
    port.unplug();
    assert.equal(closes.length, 1);
    assert.equal(closes[0]?.code, 'io');
    assert.match(closes[0]?.message ?? '', /\/dev\/ttyUSB0/);
    assert.match(closes[0]?.hint ?? '', /USB unplugged/);
    assert.equal(stream.isOpen, false);
  });

  it('treats end of file and a close nobody asked for as a lost device, not a clean close', async () => {
    const eof = new FakePort();
    const eofStream = await openFake(eof, '/dev/ttyUSB1');
    const eofClosed = new Promise<Fault | undefined>((resolve) => eofStream.onClose(resolve));
    eof.emit('end');
    const eofFault = await eofClosed;
    assert.equal(eofFault?.code, 'io');
    assert.match(eofFault?.message ?? '', /\/dev\/ttyUSB1 reached end of file/);
    assert.equal(eof.isOpen, false, 'the port is closed so its read loop stops');

    const torn = new FakePort();
    const tornStream = await openFake(torn);
    const tornClosed = new Promise<Fault | undefined>((resolve) => tornStream.onClose(resolve));
    torn.isOpen = false;
    torn.emit('close'); // what a destroyed Node stream emits: no error argument
    assert.equal((await tornClosed)?.code, 'io');
  });

  it('closes with an io fault when the device node disappears without serialport noticing', async () => {
    // bindings-cpp may spin on 0-byte reads after an unplug and never emit 'close'.
    const dir = mkdtempSync(join(tmpdir(), 'easygas-presence-'));
    const device = join(dir, 'ttyUSB0');
    writeFileSync(device, '');
    try {
      const clock = new ManualClock();
      const port = new FakePort();
      const stream = await openFake(port, device, clock);
      const closed = new Promise<Fault | undefined>((resolve) => stream.onClose(resolve));
      await clock.advance(3000);
      assert.equal(stream.isOpen, true, 'still there: keeps checking');
      unlinkSync(device);
      await clock.advance(1000);
      const fault = await closed;
      assert.equal(fault?.code, 'io');
      assert.match(fault?.message ?? '', /ttyUSB0 disappeared/);
      assert.match(fault?.hint ?? '', /USB unplugged/);
      assert.equal(port.isOpen, false, 'the port was closed, which ends the read loop');
      assert.equal(clock.pending, 0, 'no check scheduled after the end');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SerialStream over a real pty pair (socat)', () => {
  it('carries bytes, locks the port, and reports a vanished device', async (t) => {
    if (!requireSocat(t)) return;
    const dir = mkdtempSync(join(tmpdir(), 'easygas-serial-'));
    const pair = await createPtyPair(dir);
    try {
      const a = await openSerialPort({ path: pair.a, baudRate: 9600 });
      const b = await openSerialPort({ path: pair.b, baudRate: 9600 });

      const busy = await openSerialPort({ path: pair.b, baudRate: 9600 }).then(
        () => assert.fail('a locked port opened twice'),
        (e: unknown) => e,
      );
      assert.ok(busy instanceof HardwareError);
      assert.equal(busy.code, 'busy');

      const got: number[] = [];
      const arrived = new Promise<void>((resolve) =>
        b.onData((chunk) => {
          got.push(...chunk);
          if (got.length >= 4) resolve();
        }),
      );
      await a.write(Uint8Array.of(0xff, 0x07, 0xa1, 0xa7));
      await arrived;
      assert.deepEqual(got, [0xff, 0x07, 0xa1, 0xa7]);

      // Killing socat takes the ptys away under the open ports, like pulling a USB adapter.
      const lost = new Promise<Fault | undefined>((resolve) => b.onClose(resolve));
      await pair.close();
      const fault = await lost;
      assert.equal(fault?.code, 'io');
      assert.match(fault?.message ?? '', new RegExp(pair.b.replaceAll('/', '\\/')));
      assert.equal(b.isOpen, false);
      await a.close().catch(() => undefined);
    } finally {
      await pair.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
