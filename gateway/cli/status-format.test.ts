import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StatusView } from '../api/status-view.js';
import { LINE_WIDTH, sensorTable, statusText } from './status-format.js';

const at = (h: number, m: number): number => new Date(2026, 11, 6, h, m).getTime();
const NOW = at(20, 5);
const LONG_HINT =
  'Check that the sensor faces the liquid squarely, that nothing (foam, a pipe, the tank wall) is in its beam, and that no ' +
  'condensation covers the transducer; an empty tank may be beyond its range.';

const view: StatusView = {
  gateway: { id: 'gw-1', name: 'Home gateway', version: '1.0.0', hardware: 'Raspberry Pi 4', startedAt: at(8, 0), now: NOW, clockSynced: true },
  sensors: [
    { id: 'lpg', name: 'LPG cylinder', kind: 'level', health: 'disconnected', since: at(20, 1), last: { value: 20.1, unit: '%', percent: 20.1, litres: 17.3, at: at(19, 58) }, fault: 'did not answer', hint: 'Run i2cdetect -y 1 and check the wiring.' },
    { id: 'roof-tank', name: 'Roof water tank', kind: 'level', health: 'out_of_range', since: at(19, 0), last: { value: 64.25, unit: '%', percent: 64.25, litres: 1012.4, at: at(18, 59) }, hint: LONG_HINT },
    { id: 'kitchen-gas', name: 'Kitchen gas sniffer', kind: 'gas', health: 'ok', value: 1.59712500001, unit: '%LEL', ppm: 303.4, raw: 1.5971250000000001, quality: 'ok', at: at(20, 4) },
  ],
  alarms: [
    { key: 'k', sensorId: 'kitchen-gas', condition: 'gas', severity: 'critical', severe: true, raisedAt: at(20, 0),
      message: "Gas above the sensor's range (>100 %LEL) at Kitchen gas sniffer (severe above 50 %LEL: the alarm cannot be silenced)" },
  ],
  testing: false,
  sync: { state: 'disabled', backlog: 3, cursor: 0 },
};

describe('easygas status text', () => {
  it('shows a sensor that is not ok by its state, since when and its last good value; the fix on its own line', () => {
    const text = sensorTable(view.sensors, NOW);
    const lines = text.split('\n');
    assert.match(lines[1] ?? '', /^lpg\s+LPG cylinder\s+disconnected since 20:01 \(last 20\.1 % \(17 L\) at 19:58\)$/);
    assert.equal(lines[2], '    fix: Run i2cdetect -y 1 and check the wiring.');
    assert.match(text, /kitchen-gas\s+Kitchen gas sniffer\s+1\.6 %LEL \(303 ppm\)/);
    assert.doesNotMatch(text, /1\.5971/, 'no raw float noise');
  });

  it(`fits ${LINE_WIDTH} columns: long hints and alarm messages wrap`, () => {
    const text = statusText(view);
    for (const line of text.split('\n')) assert.ok(line.length <= LINE_WIDTH, `${line.length} columns: ${line}`);
    assert.ok(text.replace(/\s+/g, ' ').includes(`fix: ${LONG_HINT}`), 'the whole hint, wrapped');
    assert.match(text, /CRITICAL \(severe\) {2}Gas above the sensor's range/);
  });
});
