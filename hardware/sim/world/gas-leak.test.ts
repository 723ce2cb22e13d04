import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MS_PER_HOUR, MS_PER_MINUTE } from './daily-profile.js';
import { GasLeakScenario, PROPANE_LEL_PPM, burnerGasM3PerHour } from './gas-leak.js';
import type { GasLeakConfig } from './gas-leak.js';

const T0 = Date.UTC(2026, 0, 1, 14, 0); // 19:30 in India
const WARNING_PPM = 0.1 * PROPANE_LEL_PPM; // 2100
const ALARM_PPM = 0.25 * PROPANE_LEL_PPM; // 5250

/** A large (4 kW) burner left on unlit for 10 minutes in a small closed-up kitchen; then a window is opened. */
function burnerLeftOn(overrides: Partial<GasLeakConfig> = {}): GasLeakScenario {
  const stop = T0 + 10 * MS_PER_MINUTE;
  return new GasLeakScenario({
    startMs: T0 - MS_PER_HOUR,
    mixingVolumeM3: 4,
    airChangesPerHour: 0.5,
    backgroundPpm: 2,
    events: [{ startMs: T0, durationMs: 10 * MS_PER_MINUTE, sourceM3PerHour: burnerGasM3PerHour(4) }],
    ventilation: [
      { atMs: stop, airChangesPerHour: 6 },
      { atMs: stop + MS_PER_HOUR, airChangesPerHour: 0.5 },
    ],
    ...overrides,
  });
}

function firstCrossing(model: GasLeakScenario, from: number, to: number, above: (ppm: number) => boolean): number | null {
  for (let t = from; t <= to; t += 1000) if (above(model.ppmAt(t))) return t;
  return null;
}

describe('GasLeakScenario', () => {
  it('sizes a burner leak realistically: a 3 kW burner passes about 1.9 litres of vapour a minute', () => {
    const m3PerHour = burnerGasM3PerHour(3);
    assert.ok(m3PerHour > 0.1 && m3PerHour < 0.13, `${m3PerHour} m³/h`);
  });

  it('sits at the background with no leak', () => {
    const model = burnerLeftOn({ events: [] });
    assert.equal(model.ppmAt(T0 + 5 * MS_PER_HOUR), 2);
    assert.equal(model.state.percentLel, (100 * 2) / PROPANE_LEL_PPM);
  });

  it('crosses 10% LEL, then 25% LEL, during a 10-minute unlit-burner leak', () => {
    const model = burnerLeftOn();
    const warnAt = firstCrossing(model, T0 - MS_PER_MINUTE, T0 + 10 * MS_PER_MINUTE, (ppm) => ppm >= WARNING_PPM);
    const alarmAt = firstCrossing(model, T0 - MS_PER_MINUTE, T0 + 10 * MS_PER_MINUTE, (ppm) => ppm >= ALARM_PPM);
    assert.ok(warnAt !== null && alarmAt !== null, 'both thresholds crossed while leaking');
    assert.ok(warnAt > T0 + 2 * MS_PER_MINUTE && warnAt < T0 + 5 * MS_PER_MINUTE, `warning after ${(warnAt - T0) / 60000} min`);
    assert.ok(alarmAt > warnAt && alarmAt < T0 + 10 * MS_PER_MINUTE, `alarm after ${(alarmAt - T0) / 60000} min`);
    assert.equal(model.ppmAt(T0 + 10 * MS_PER_MINUTE) > ALARM_PPM, true, 'peak at the valve closing');
  });

  it('decays below the warning within half an hour of the window opening, and back to background', () => {
    const model = burnerLeftOn();
    const stop = T0 + 10 * MS_PER_MINUTE;
    const peak = model.ppmAt(stop);
    const clearAt = firstCrossing(model, stop, stop + MS_PER_HOUR, (ppm) => ppm < WARNING_PPM);
    assert.ok(clearAt !== null && clearAt < stop + 30 * MS_PER_MINUTE, 'below 10% LEL within 30 min');
    assert.ok(model.ppmAt(stop + MS_PER_HOUR) < 0.001 * PROPANE_LEL_PPM, 'under 0.1% LEL after an hour of airing');
    assert.ok(model.ppmAt(stop + 12 * MS_PER_HOUR) - 2 < 0.1, 'back to the background');
    assert.ok(peak > ALARM_PPM);
  });

  it('still clears without airing, only slower (0.5 air changes per hour)', () => {
    const model = burnerLeftOn({ ventilation: [] });
    const stop = T0 + 10 * MS_PER_MINUTE;
    const clearAt = firstCrossing(model, stop, stop + 6 * MS_PER_HOUR, (ppm) => ppm < WARNING_PPM);
    assert.ok(clearAt !== null && clearAt > stop + MS_PER_HOUR && clearAt < stop + 4 * MS_PER_HOUR);
  });

  it('follows the exact exponential solution, not an Euler approximation', () => {
    const model = burnerLeftOn();
    const source = burnerGasM3PerHour(4);
    const steady = (source * 1e6) / (4 * 0.5);
    const during = (minutes: number): number => 2 + steady * (1 - Math.exp((-0.5 * minutes) / 60));
    for (const minutes of [1, 3.5, 10]) {
      const ppm = model.ppmAt(T0 + minutes * MS_PER_MINUTE);
      assert.ok(Math.abs(ppm - during(minutes)) < 1e-9 * ppm, `${minutes} min: ${ppm} vs ${during(minutes)}`);
    }
    const peakExcess = during(10) - 2;
    const after = 2 + peakExcess * Math.exp((-6 * 20) / 60);
    const ppm = model.ppmAt(T0 + 30 * MS_PER_MINUTE);
    assert.ok(Math.abs(ppm - after) < 1e-9 * ppm, `${ppm} vs ${after}`);
  });

  it('gives the same concentration stepped every second as in one jump', () => {
    const stepped = burnerLeftOn();
    const jumped = burnerLeftOn();
    const end = T0 + 47 * MS_PER_MINUTE + 123;
    for (let t = T0 - MS_PER_HOUR; t <= end; t += 1000) stepped.advanceTo(t);
    stepped.advanceTo(end);
    jumped.advanceTo(end);
    const a = stepped.state.ppm;
    const b = jumped.state.ppm;
    assert.ok(Math.abs(a - b) < 1e-9 * b, `${a} vs ${b}`);
  });

  it('approaches S/(V·k) on a long leak and accumulates linearly with no ventilation', () => {
    const long = burnerLeftOn({
      events: [{ startMs: T0, durationMs: 48 * MS_PER_HOUR, sourceM3PerHour: 0.01 }],
      ventilation: [],
    });
    assert.ok(Math.abs(long.ppmAt(T0 + 40 * MS_PER_HOUR) - (2 + 0.01e6 / (4 * 0.5))) < 1e-3);
    const sealed = burnerLeftOn({ airChangesPerHour: 0, ventilation: [] });
    assert.ok(Math.abs(sealed.ppmAt(T0 + 5 * MS_PER_MINUTE) - (2 + (burnerGasM3PerHour(4) * 1e6 * 5) / 60 / 4)) < 1e-6);
  });

  it('reports leaking and ventilation, and ignores a step backwards', () => {
    const model = burnerLeftOn();
    model.advanceTo(T0 + MS_PER_MINUTE);
    assert.equal(model.state.leaking, true);
    assert.equal(model.state.airChangesPerHour, 0.5);
    const before = model.state;
    model.advanceTo(T0);
    assert.deepEqual(model.state, before);
    model.advanceTo(T0 + 15 * MS_PER_MINUTE);
    assert.equal(model.state.leaking, false);
    assert.equal(model.state.airChangesPerHour, 6);
  });
});
