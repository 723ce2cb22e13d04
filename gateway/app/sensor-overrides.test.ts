import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { silentLogger } from '../../hardware/logger.js';
import { loadConfig } from '../config/load.js';
import { exampleConfigPath } from '../system/package-info.js';
import { OVERRIDES_FILE, SensorOverrides } from './sensor-overrides.js';

async function example() {
  const loaded = await loadConfig({ path: exampleConfigPath(), env: {} });
  assert.ok(loaded.ok);
  return loaded;
}

describe('SensorOverrides', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const dataDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'easygas-overrides-'));
    dirs.push(d);
    return d;
  };
  const now = () => Date.UTC(2026, 10, 24);

  it('stores a valid override, tells the listeners, and holds it through a reload (a reboot)', async () => {
    const { config, source } = await example();
    const dir = dataDir();
    const first = SensorOverrides.load({ dataDir: dir, document: source.document, logger: silentLogger, now });
    const applied: string[] = [];
    first.onChange((sensor) => applied.push(`${sensor.id}:${sensor.calibration.type === 'mq6' ? sensor.calibration.r0Ohms : '?'}`));
    const result = first.set('kitchen-gas', { calibration: { type: 'mq6', r0Ohms: 12_345 } }, 'local', now());
    assert.ok(result.ok);
    assert.deepEqual(applied, ['kitchen-gas:12345']);

    const again = SensorOverrides.load({ dataDir: dir, document: source.document, logger: silentLogger, now });
    const gas = again.sensors(config).find((s) => s.id === 'kitchen-gas');
    assert.equal(gas?.calibration.type === 'mq6' && gas.calibration.r0Ohms, 12_345);
    assert.equal(again.record('kitchen-gas')?.calibration?.source, 'local');
    const lpg = again.sensors(config).find((s) => s.id === 'lpg');
    assert.deepEqual(lpg, config.sensors.find((s) => s.id === 'lpg'), 'sensors without overrides are the config’s');
  });

  it('refuses an invalid override and leaves the file untouched', async () => {
    const { source } = await example();
    const dir = dataDir();
    const overrides = SensorOverrides.load({ dataDir: dir, document: source.document, logger: silentLogger, now });
    const bad = overrides.set('lpg', { rules: { lowLevel: { warningPercent: 10, criticalPercent: 30 } } }, 'cloud', now());
    assert.ok(!bad.ok);
    assert.match(bad.issues.map((i) => i.path).join(), /rules\.lowLevel\.criticalPercent/);
    assert.deepEqual(readdirSync(dir), [], 'nothing written');
    assert.ok(!overrides.set('ghost', { calibration: { type: 'identity' } }, 'local', now()).ok);
  });

  it('moves a damaged file aside and runs on the config alone; clear() returns to the config', async () => {
    const { config, source } = await example();
    const dir = dataDir();
    writeFileSync(join(dir, OVERRIDES_FILE), '{"version": 1, "sensors": {"lpg": ');
    const overrides = SensorOverrides.load({ dataDir: dir, document: source.document, logger: silentLogger, now });
    assert.ok(readdirSync(dir).some((f) => f.startsWith(`${OVERRIDES_FILE}.corrupt-`)));
    assert.ok(overrides.set('lpg', { rules: { lowLevel: { warningPercent: 35 } } }, 'cloud', now()).ok);
    const saved = JSON.parse(readFileSync(join(dir, OVERRIDES_FILE), 'utf8')) as {
      sensors: { lpg: { rules: { value: { lowLevel: { warningPercent: number } } } } };
    };
    assert.equal(saved.sensors.lpg.rules.value.lowLevel.warningPercent, 35);
    assert.ok(overrides.clear('lpg', 'rules').ok);
    assert.deepEqual(overrides.sensors(config), config.sensors);
  });
});
