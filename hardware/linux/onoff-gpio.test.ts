import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { HardwareError } from '../fault.js';
import type { Logger } from '../logger.js';
import type { Level } from '../ports/digital.js';
import { createOnoffGpio, type OnoffDirection, type OnoffLine, type OnoffLineFactory } from './onoff-gpio.js';

const roots: string[] = [];
after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

function pi4Sysfs(): string {
  const root = mkdtempSync(join(tmpdir(), 'easygas-onoff-'));
  roots.push(root);
  for (const [base, label, ngpio] of [
    [570, 'raspberrypi-exp-gpio', 8],
    [512, 'pinctrl-bcm2711', 58],
  ] as const) {
    mkdirSync(join(root, `gpiochip${base}`));
    writeFileSync(join(root, `gpiochip${base}`, 'label'), `${label}\n`);
    writeFileSync(join(root, `gpiochip${base}`, 'base'), `${base}\n`);
    writeFileSync(join(root, `gpiochip${base}`, 'ngpio'), `${ngpio}\n`);
  }
  return root;
}

type EdgeCallback = (err: Error | null | undefined, value: Level) => void;

/** Records what the backend asks of onoff; writes resolve when the test says so. */
class FakeLine implements OnoffLine {
  readonly calls: string[] = [];
  value: Level = 0;
  callbacks: EdgeCallback[] = [];
  holdWrites = false;
  readonly held: (() => void)[] = [];

  constructor(
    readonly n: number,
    readonly direction: OnoffDirection,
    readonly edge: string,
    readonly activeLow: boolean,
  ) {}

  read(): Promise<Level> {
    return Promise.resolve(this.value);
  }
  write(value: Level): Promise<void> {
    this.calls.push(`write ${value}`);
    if (!this.holdWrites) return Promise.resolve();
    return new Promise((resolve) => this.held.push(resolve));
  }
  watch(callback: EdgeCallback): void {
    this.calls.push('watch');
    this.callbacks.push(callback);
  }
  unwatch(callback?: EdgeCallback): void {
    this.calls.push('unwatch');
    this.callbacks = callback === undefined ? [] : this.callbacks.filter((c) => c !== callback);
  }
  unexport(): void {
    this.calls.push('unexport');
  }
  edgeEvent(err: Error | null, value: Level): void {
    for (const cb of [...this.callbacks]) cb(err, value);
  }
}

function fakeOnoff(): { lines: FakeLine[]; openLine: OnoffLineFactory } {
  const lines: FakeLine[] = [];
  return {
    lines,
    openLine: (n, direction, edge, options) => {
      const line = new FakeLine(n, direction, edge, options.activeLow);
      lines.push(line);
      return line;
    },
  };
}

function failingOnoff(code: string): OnoffLineFactory {
  return () => {
    throw Object.assign(new Error(`${code}: simulated, write`), { code });
  };
}

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  const noop = (): void => undefined;
  return { warnings, debug: noop, info: noop, error: noop, warn: (_obj, msg) => warnings.push(msg ?? '') };
}

async function rejection(promise: Promise<unknown>): Promise<HardwareError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof HardwareError, `expected a HardwareError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a rejection');
}

describe('createOnoffGpio', () => {
  it(
    'rejects with the sysfs hint on a machine without /sys/class/gpio (real onoff, default root)',
    { skip: existsSync('/sys/class/gpio') && 'this machine has sysfs GPIO' },
    async () => {
      const gpio = createOnoffGpio();
      const err = await rejection(gpio.openInput(17));
      assert.equal(err.code, 'missing');
      assert.match(err.hint ?? '', /sysfs GPIO is not available/);
      assert.match(err.hint ?? '', /--simulate/);
    },
  );

  it('opens inputs at base + line, edge both, with active-low', async () => {
    const fake = fakeOnoff();
    const gpio = createOnoffGpio({ sysfsRoot: pi4Sysfs(), openLine: fake.openLine });
    const input = await gpio.openInput(17, { activeLow: true });
    assert.equal(input.name, 'GPIO17');
    const [line] = fake.lines;
    assert.deepEqual([line?.n, line?.direction, line?.edge, line?.activeLow], [529, 'in', 'both', true]);
  });

  it('starts outputs inactive: "low", or raw "high" when active-low', async () => {
    const fake = fakeOnoff();
    const gpio = createOnoffGpio({ sysfsRoot: pi4Sysfs(), openLine: fake.openLine });
    await gpio.openOutput(18);
    await gpio.openOutput(27, { activeLow: true });
    assert.deepEqual(
      fake.lines.map((l) => [l.n, l.direction, l.edge, l.activeLow]),
      [
        [530, 'low', 'none', false],
        [539, 'high', 'none', true],
      ],
    );
  });

  it('resolves the chip once, lazily, and retries after a failure', async () => {
    const root = join(mkdtempSync(join(tmpdir(), 'easygas-onoff-late-')), 'gpio');
    roots.push(root);
    const fake = fakeOnoff();
    const gpio = createOnoffGpio({ sysfsRoot: root, openLine: fake.openLine });
    assert.equal((await rejection(gpio.openInput(17))).code, 'missing');
    // sysfs appears (a module loaded late at boot): the next open finds it.
    mkdirSync(root);
    mkdirSync(join(root, 'gpiochip512'));
    writeFileSync(join(root, 'gpiochip512', 'label'), 'pinctrl-bcm2711\n');
    writeFileSync(join(root, 'gpiochip512', 'base'), '512\n');
    writeFileSync(join(root, 'gpiochip512', 'ngpio'), '58\n');
    await gpio.openInput(17);
    // Resolved once: removing the tree no longer matters.
    rmSync(join(root, 'gpiochip512'), { recursive: true });
    await gpio.openInput(22);
    assert.deepEqual(fake.lines.map((l) => l.n), [529, 534]);
  });

  it('maps EACCES to the gpio group hint, naming BCM and sysfs numbers', async () => {
    const gpio = createOnoffGpio({ sysfsRoot: pi4Sysfs(), openLine: failingOnoff('EACCES') });
    const err = await rejection(gpio.openOutput(17));
    assert.equal(err.code, 'permission');
    assert.match(err.message, /GPIO17 \(sysfs 529\)/);
    assert.match(err.hint ?? '', /usermod -aG gpio/);
    assert.ok(err.cause instanceof Error);
  });

  it('maps EBUSY to "already exported" with the real number to unexport', async () => {
    const gpio = createOnoffGpio({ sysfsRoot: pi4Sysfs(), openLine: failingOnoff('EBUSY') });
    const err = await rejection(gpio.openInput(17));
    assert.equal(err.code, 'busy');
    assert.match(err.hint ?? '', /echo 529 > \/sys\/class\/gpio\/unexport/);
  });

  it('says which kernel driver holds a busy bus pin', async () => {
    const gpio = createOnoffGpio({ sysfsRoot: pi4Sysfs(), openLine: failingOnoff('EBUSY') });
    const err = await rejection(gpio.openInput(4));
    assert.match(err.hint ?? '', /GPIO4 \(pin 7\) is claimed by a kernel driver: one_wire \(dtoverlay=w1-gpio/);
  });

  it('maps ENOENT to missing sysfs GPIO', async () => {
    const gpio = createOnoffGpio({ sysfsRoot: pi4Sysfs(), openLine: failingOnoff('ENOENT') });
    const err = await rejection(gpio.openInput(17));
    assert.equal(err.code, 'missing');
    assert.match(err.hint ?? '', /CONFIG_GPIO_SYSFS/);
  });

  it('refuses a line off the header before touching onoff', async () => {
    const fake = fakeOnoff();
    const gpio = createOnoffGpio({ sysfsRoot: pi4Sysfs(), openLine: fake.openLine });
    assert.equal((await rejection(gpio.openInput(40))).code, 'out_of_range');
    assert.equal(fake.lines.length, 0);
  });

  it('warns when taking over a line that is already exported', async () => {
    const root = pi4Sysfs();
    mkdirSync(join(root, 'gpio529'));
    const logger = recordingLogger();
    const gpio = createOnoffGpio({ sysfsRoot: root, openLine: fakeOnoff().openLine, logger });
    await gpio.openInput(17);
    assert.deepEqual(logger.warnings, ['GPIO17 (sysfs 529) was already exported; taking it over']);
  });
});

describe('onoff input', () => {
  it('delivers edges, unwatches when the last listener leaves, and unexports on close', async () => {
    const fake = fakeOnoff();
    const gpio = createOnoffGpio({ sysfsRoot: pi4Sysfs(), openLine: fake.openLine });
    const input = await gpio.openInput(17);
    const line = fake.lines[0]!;
    const seen: Level[] = [];
    const stop = input.watch((level) => seen.push(level));
    line.edgeEvent(null, 1);
    line.edgeEvent(new Error('EIO'), 0);
    line.edgeEvent(null, 0);
    assert.deepEqual(seen, [1, 0]);
    stop();
    assert.deepEqual(line.calls, ['watch', 'unwatch']);
    line.value = 1;
    assert.equal(await input.read(), 1);
    await input.close();
    assert.deepEqual(line.calls.slice(-2), ['unwatch', 'unexport']);
    assert.equal((await rejection(input.read())).code, 'closed');
  });
});

describe('onoff output', () => {
  it('close() writes 0 after any write in flight, then unexports', async () => {
    const fake = fakeOnoff();
    const gpio = createOnoffGpio({ sysfsRoot: pi4Sysfs(), openLine: fake.openLine });
    const output = await gpio.openOutput(18);
    const line = fake.lines[0]!;
    line.holdWrites = true;
    const writing = output.write(1);
    const closing = output.close();
    // The OFF write waits its turn behind the ON write still in the kernel.
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(line.calls, ['write 1']);
    line.held.shift()?.();
    await writing;
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(line.calls, ['write 1', 'write 0']);
    line.held.shift()?.();
    await closing;
    assert.deepEqual(line.calls, ['write 1', 'write 0', 'unexport']);
    assert.equal(output.level, 0);
    assert.equal((await rejection(output.write(1))).code, 'closed');
  });
});
