import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Clock } from '../clock.js';
import { Ds18b20Sensor, listDs18b20, readDs18b20 } from '../drivers/ds18b20.js';
import { ManualClock } from './manual-clock.js';
import { POWER_ON_SCRATCHPAD, W1Sim, dallasCrc8, scratchpadFor, simulatedW1Id, w1SlaveText } from './w1-sim.js';

const hex = (s: string): Uint8Array => Uint8Array.from(s.split(' ').map((b) => parseInt(b, 16)));

describe('1-Wire file format', () => {
  it('computes the Dallas CRC-8 of real scratchpads', () => {
    assert.equal(dallasCrc8(hex('72 01 4b 46 7f ff 0e 10')), 0x57);
    assert.equal(dallasCrc8(hex('50 05 4b 46 7f ff 0c 10')), 0x1c);
    assert.equal(dallasCrc8(hex('72 01 4b 46 7f ff 0e 10 57')), 0, 'a block with its CRC sums to 0');
  });

  it('writes w1_slave exactly as w1_therm does', () => {
    assert.equal(
      w1SlaveText(scratchpadFor(23.125)),
      '72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 4b 46 7f ff 0e 10 57 t=23125\n',
    );
    assert.equal(
      w1SlaveText(POWER_ON_SCRATCHPAD),
      '50 05 4b 46 7f ff 0c 10 1c : crc=1c YES\n50 05 4b 46 7f ff 0c 10 1c t=85000\n',
    );
    assert.match(w1SlaveText(scratchpadFor(-1.25)), /^ec ff .* t=-1250\n$/s);
    assert.match(w1SlaveText(scratchpadFor(-10.0625)), / t=-10062\n$/, 'truncated like the kernel');
  });

  it('makes ids the driver accepts', () => {
    assert.equal(simulatedW1Id(1), '28-5e0000000001');
  });
});

describe('W1Sim', () => {
  it('serves sensors the real driver reads, from their sources', async () => {
    const sim = await W1Sim.inTempDir();
    try {
      let kitchen = 21.5;
      await sim.addSensor(simulatedW1Id(1), () => kitchen);
      await sim.addSensor(simulatedW1Id(2), () => -7.25);
      assert.deepEqual(await listDs18b20(sim.root), [simulatedW1Id(1), simulatedW1Id(2)]);
      const sensor = new Ds18b20Sensor(simulatedW1Id(1), { w1Root: sim.root });
      assert.deepEqual(await sensor.read(), { ok: true, value: { celsius: 21.5 } });
      kitchen = 22.0625;
      await sim.refresh();
      assert.deepEqual(await sensor.read(), { ok: true, value: { celsius: 22.062 } });
      assert.deepEqual(await readDs18b20(simulatedW1Id(2), { w1Root: sim.root }), {
        ok: true,
        value: { celsius: -7.25 },
      });
    } finally {
      await sim.dispose();
    }
    assert.equal(existsSync(sim.root), false);
  });

  it('injects CRC failures, power-on resets, truncated files and shorted lines', async () => {
    const sim = await W1Sim.inTempDir();
    try {
      const id = simulatedW1Id(3);
      await sim.addSensor(id, () => 20);
      const codes: string[] = [];
      sim.inject(id, 'crc');
      sim.inject(id, 'power_on');
      sim.inject(id, 'truncated');
      sim.inject(id, 'all_zero');
      for (let i = 0; i < 5; i++) {
        await sim.refresh();
        const result = await readDs18b20(id, { w1Root: sim.root });
        codes.push(result.ok ? `ok ${result.value.celsius}` : result.fault.code);
      }
      assert.deepEqual(codes, ['crc', 'suspect', 'io', 'suspect', 'ok 20']);
    } finally {
      await sim.dispose();
    }
  });

  it('a CRC failure reads NO with the CRC the kernel computed', async () => {
    const sim = await W1Sim.inTempDir();
    try {
      const id = simulatedW1Id(4);
      await sim.addSensor(id, () => 23.125);
      sim.inject(id, 'crc');
      await sim.refresh();
      const text = readFileSync(join(sim.root, id, 'w1_slave'), 'utf8');
      assert.match(text, /^72 01 4b 46 7f ff 0e 10 0d : crc=57 NO\n/);
    } finally {
      await sim.dispose();
    }
  });

  it('unplugging a sensor removes it from the bus', async () => {
    const sim = await W1Sim.inTempDir();
    try {
      const id = simulatedW1Id(5);
      await sim.addSensor(id, () => 20);
      await sim.unplug(id);
      assert.deepEqual(await listDs18b20(sim.root), []);
      const result = await readDs18b20(id, { w1Root: sim.root });
      assert.equal(!result.ok && result.fault.code, 'missing');
    } finally {
      await sim.dispose();
    }
  });

  it('refreshes on a clock until stopped', { timeout: 5000 }, async () => {
    const sim = await W1Sim.inTempDir();
    const clock = new ManualClock();
    // The next refresh is scheduled once the files are written: that is the event to wait for.
    const scheduled: (() => void)[] = [];
    const watched: Clock = {
      now: () => clock.now(),
      monotonic: () => clock.monotonic(),
      clearTimeout: (h) => clock.clearTimeout(h),
      setTimeout: (fn, ms) => {
        scheduled.shift()?.();
        return clock.setTimeout(fn, ms);
      },
    };
    try {
      const id = simulatedW1Id(6);
      let t = 10;
      await sim.addSensor(id, () => t);
      const stop = sim.startRefreshing(watched, 1000);
      t = 11;
      await clock.advance(999);
      assert.deepEqual(await readDs18b20(id, { w1Root: sim.root }), { ok: true, value: { celsius: 10 } });
      const rearmed = new Promise<void>((resolve) => scheduled.push(resolve));
      await clock.advance(1);
      await rearmed;
      assert.deepEqual(await readDs18b20(id, { w1Root: sim.root }), { ok: true, value: { celsius: 11 } });
      stop();
      assert.equal(clock.pending, 0);
    } finally {
      await sim.dispose();
    }
  });
});
