/**
 * `easygas calibrate` end to end against a simulated gateway: the LPG dial
 * sender starts with a wrong on-site calibration (loaded from
 * sensor-overrides.json at start); the simulated cylinder is set empty, then
 * full, and the calibration measured from live samples reads the simulated true
 * level within 1 % afterwards — and is what sensor-overrides.json now holds.
 * The MQ-6's R0 is measured in clean air the same way.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { ApiClient } from '../api-client.js';
import { runCli, startSimulatedGateway, type SimulatedGateway } from '../test-support/simulated-gateway.js';

const WRONG = {
  version: 1,
  sensors: {
    lpg: { calibration: { value: { type: 'two_point', points: [{ raw: 1.2, value: 0 }, { raw: 0.2, value: 80 }] }, updatedAt: 0, source: 'local' } },
    // As if the ultrasonic sensor sat 80 mm lower than it does.
    'roof-tank': { calibration: { value: { type: 'offset', scale: 1, offset: 80 }, updatedAt: 0, source: 'local' } },
  },
};

interface LiveJson {
  raw: number;
  result: { value: number };
}

describe('easygas calibrate against a simulated gateway', { timeout: 120_000 }, () => {
  let gw: SimulatedGateway;
  let api: ApiClient;
  let dir: string[];
  before(async () => {
    gw = await startSimulatedGateway({ dataFiles: { 'sensor-overrides.json': JSON.stringify(WRONG) } });
    api = new ApiClient({ url: gw.url });
    dir = ['--data-dir', gw.dataDir];
  });
  after(async () => {
    assert.equal(await gw.stop(), 0, gw.output());
  });

  const truth = async () => (await api.get<{ percent: number }>('/api/simulation/level/lpg')).percent;
  /** A live read of the LPG sender; a read lost to a loaded machine (a timeout) is read again. */
  const live = async (): Promise<LiveJson> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const read = JSON.parse((await runCli(['read', 'lpg', ...dir, '--json'])).stdout) as Partial<LiveJson>;
      if (read.result !== undefined && read.raw !== undefined) return read as LiveJson;
      if (Date.now() > deadline) throw new Error(`no live read of lpg: ${JSON.stringify(read)}`);
    }
  };

  it('level sender: empty captured, full sampled; the new mapping reads the true level within 1 %', async () => {
    await api.put('/api/simulation/level/lpg', { percent: 60 });
    const wrong = await live();
    assert.ok(Math.abs(wrong.result.value - (await truth())) > 5, `the wrong calibration reads ${wrong.result.value} at ${await truth()} %`);

    await api.put('/api/simulation/level/lpg', { percent: 0 });
    const capture = await runCli(['calibrate', 'lpg', '--capture', '--samples', '5', '--interval', '50', ...dir, '--json']);
    assert.equal(capture.code, 0, capture.stderr);
    const empty = (JSON.parse(capture.stdout) as { raw: number }).raw;

    await api.put('/api/simulation/level/lpg', { percent: 100 });
    const run = await runCli(['calibrate', 'lpg', '--point', `empty=${empty}`, '--point', 'full', '--samples', '5', '--interval', '50', ...dir, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as { saved: boolean; after: { type: string; points: { raw: number; value: number }[] }; comparison: { before: string; after: string }[] };
    assert.equal(result.saved, true);
    assert.equal(result.after.type, 'two_point');
    assert.deepEqual(result.after.points.map((p) => p.value), [80, 0], 'the dial voltage falls as the level rises');

    for (const percent of [100, 50, 12]) {
      await api.put('/api/simulation/level/lpg', { percent });
      const read = await live();
      const actual = await truth();
      assert.ok(Math.abs(read.result.value - actual) <= 1, `reads ${read.result.value.toFixed(2)} % at a true ${actual.toFixed(2)} %`);
    }
    const stored = JSON.parse(readFileSync(join(gw.dataDir, 'sensor-overrides.json'), 'utf8')) as typeof WRONG;
    assert.deepEqual(stored.sensors.lpg.calibration.value, result.after, 'persisted for the next start');
    assert.equal(stored.sensors.lpg.calibration.source, 'local');

    // A restart (a new daemon on that file) runs with the measured calibration.
    const restarted = await startSimulatedGateway({ dataFiles: { 'sensor-overrides.json': readFileSync(join(gw.dataDir, 'sensor-overrides.json'), 'utf8') } });
    try {
      const info = await new ApiClient({ url: restarted.url }).get<{ source: string; calibration: unknown }>('/api/sensors/lpg/calibration');
      assert.equal(info.source, 'local');
      assert.deepEqual(info.calibration, result.after);
    } finally {
      assert.equal(await restarted.stop(), 0, restarted.output());
    }
  });

  it('ultrasonic: the water height now (by dipstick) corrects the mounting height; reads the true level within 1 %', async () => {
    const tank = async () => (await api.get<{ percent: number }>('/api/simulation/level/roof-tank')).percent;
    /**
     * Live reads until `ok` holds (or 10 s pass): the sensor streams a frame every
     * 100 ms, so a new level shows from the next frame, and a lost frame (the
     * simulator's line faults) is a read without a result.
     */
    const settled = async (ok: (read: LiveJson, truth: number) => boolean): Promise<{ read?: LiveJson; truth: number }> => {
      const deadline = Date.now() + 10_000;
      let last: { read?: LiveJson; truth: number };
      do {
        const read = JSON.parse((await runCli(['read', 'roof-tank', ...dir, '--json'])).stdout) as Partial<LiveJson>;
        last = { ...(read.result !== undefined && read.raw !== undefined ? { read: read as LiveJson } : {}), truth: await tank() };
        if (last.read !== undefined && ok(last.read, last.truth)) return last;
      } while (Date.now() < deadline);
      return last;
    };
    await api.put('/api/simulation/level/roof-tank', { percent: 40 });
    const heightMm = Math.round(((await tank()) / 100) * 1100); // the example tank is 1100 mm to the overflow
    // The frames show the new level (1250 mm mounting height); the wrong offset misreads it.
    const before = await settled((r) => Math.abs(r.raw - (1250 - heightMm)) <= 15);
    assert.ok(before.read !== undefined && Math.abs(before.read.raw - (1250 - heightMm)) <= 15, `distance ${before.read?.raw} mm`);
    assert.ok(Math.abs(before.read.result.value - before.truth) > 5, `the wrong offset reads ${before.read.result.value} at ${before.truth} %`);

    const run = await runCli(['calibrate', 'roof-tank', '--point', String(heightMm), '--samples', '10', '--interval', '50', ...dir, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as { after: { type: string; offset: number }; explanation: string[] };
    assert.equal(result.after.type, 'offset');
    assert.ok(Math.abs(result.after.offset) <= 11, `offset ${result.after.offset} (the sensor sits where the config says)`);
    for (const percent of [40, 75]) {
      await api.put('/api/simulation/level/roof-tank', { percent });
      const { read, truth } = await settled((r, t) => Math.abs(r.result.value - t) <= 1);
      assert.ok(read !== undefined && Math.abs(read.result.value - truth) <= 1, `reads ${read?.result.value.toFixed(2)} % at a true ${truth.toFixed(2)} %`);
    }
  });

  it('text output shows the mapping before and after', async () => {
    const run = await runCli(['calibrate', 'lpg', '--point', 'empty=1.9', '--point', 'full=0.39', '--dry-run', ...dir]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /before: .* \(local\)/);
    assert.match(run.stdout, /after: +0\.39 → 80, 1\.9 → 0/);
    assert.match(run.stdout, /not saved/);
  });

  it('MQ-6: R0 from clean air (the simulator was built with R0 10 kΩ)', async () => {
    const run = await runCli(['calibrate', 'kitchen-gas', '--point', 'clean-air', '--samples', '4', '--interval', '50', ...dir, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const r0 = (JSON.parse(run.stdout) as { after: { r0Ohms: number } }).after.r0Ohms;
    assert.ok(Math.abs(r0 - 10_000) / 10_000 < 0.1, `R0 ${r0}`);
  });

  it('refuses: no points without a terminal, a point that does not fit, an unstable level', async () => {
    const none = await runCli(['calibrate', 'lpg', ...dir]);
    assert.equal(none.code, 64);
    assert.match(none.stderr, /--point empty --point full/);
    const wrongKind = await runCli(['calibrate', 'kitchen-gas', '--point', 'full', ...dir]);
    assert.notEqual(wrongKind.code, 0);
    assert.match(wrongKind.stderr, /--point clean-air/);
    const strict = await runCli(['calibrate', 'lpg', '--capture', '--samples', '3', '--interval', '10', '--tolerance', '0.0000001', ...dir]);
    // The simulated sender carries ADC noise of a few counts: a near-zero tolerance refuses it.
    assert.notEqual(strict.code, 0, strict.stdout);
    assert.match(strict.stderr, /moved by .* while sampling/);
  });

  it('on a terminal it asks for each point, shows before/after and asks before saving', async () => {
    const asked = await runCli(['calibrate', 'kitchen-gas', '--samples', '3', '--interval', '20', ...dir], {}, Readable.from(['\n', 'n\n']), true);
    assert.equal(asked.code, 0, asked.stderr);
    assert.match(asked.stderr, /clean air .* press Enter/);
    assert.match(asked.stderr, /Save this calibration\? \[y\/N\]/);
    assert.match(asked.stdout, /not saved/);

    // The cylinder full: "full" is measured now; the empty point is the simulated sender's
    // empty voltage (the config's line at 0 %); then Enter to finish and "y" to save.
    await api.put('/api/simulation/level/lpg', { percent: 100 });
    const answers = Readable.from(['full\n', 'empty=1.90467\n', '\n', 'y\n']);
    const levels = await runCli(['calibrate', 'lpg', '--samples', '3', '--interval', '20', ...dir], {}, answers, true);
    assert.equal(levels.code, 0, levels.stderr);
    assert.match(levels.stderr, /What does the dial show now\?/);
    assert.match(levels.stdout, /saved/);
    await api.put('/api/simulation/level/lpg', { percent: 35 });
    const read = await live();
    assert.ok(Math.abs(read.result.value - (await truth())) <= 1, `reads ${read.result.value} at ${await truth()}`);
  });

  it('--reset goes back to the config file', async () => {
    const run = await runCli(['calibrate', 'lpg', '--reset', ...dir, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const info = await api.get<{ source: string }>('/api/sensors/lpg/calibration');
    assert.equal(info.source, 'config');
  });
});
