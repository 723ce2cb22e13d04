import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { loadConfig } from './load.js';
import { applySensorOverride, sensorDocument } from './sensor-override.js';

const example = readFileSync(new URL('./gateway.example.yaml', import.meta.url), 'utf8');

async function document() {
  const loaded = await loadConfig({ text: example, env: {} });
  assert.ok(loaded.ok);
  return loaded.source.document;
}

describe('sensor overrides', () => {
  it('applies a measured calibration and tighter thresholds through the config schema', async () => {
    const lpg = sensorDocument(await document(), 'lpg');
    assert.ok(lpg !== undefined);
    const result = applySensorOverride(lpg, {
      calibration: { type: 'two_point', points: [{ raw: 1.77, value: 5 }, { raw: 0.42, value: 80 }] },
      rules: { lowLevel: { warningPercent: 30, criticalPercent: 15 } },
    });
    assert.ok(result.ok, JSON.stringify(!result.ok && result.issues));
    assert.deepEqual(result.sensor.calibration, { type: 'two_point', points: [{ raw: 1.77, value: 5 }, { raw: 0.42, value: 80 }] });
    const low = result.sensor.rules.lowLevel;
    assert.equal(low?.warningPercent, 30);
    assert.equal(low?.criticalPercent, 15);
    assert.equal(low?.minDurationMs, 5 * 60_000, 'what the override did not name comes from the file');
  });

  it('rejects what the config file would reject, with paths', async () => {
    const doc = await document();
    const gas = sensorDocument(doc, 'kitchen-gas')!;
    const bad = applySensorOverride(gas, { calibration: { type: 'mq6', r0Ohms: -5 }, rules: { gas: { warningLel: 40, alarmLel: 25 } } });
    assert.ok(!bad.ok);
    const paths = bad.issues.map((i) => i.path);
    assert.ok(paths.includes('calibration.r0Ohms'), paths.join(', '));
    assert.ok(paths.includes('rules.gas.warningLel'), paths.join(', '));
    const wrongKind = applySensorOverride(sensorDocument(doc, 'sink-leak')!, { rules: { lowLevel: { warningPercent: 30 } } });
    assert.ok(!wrongKind.ok);
    assert.match(wrongKind.issues[0]!.message, /no lowLevel rule/);
    assert.equal(sensorDocument(doc, 'nope'), undefined);
  });
});
