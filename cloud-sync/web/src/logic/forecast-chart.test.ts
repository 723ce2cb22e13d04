import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { shapeHistory } from './chart-data.js';
import { withForecast } from './forecast-chart.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 2, 1);

describe('forecast on the history chart', () => {
  const history = shapeHistory(
    Array.from({ length: 4 }, (_, i) => ({ at: T0 + i * HOUR, min: 60 - i, avg: 60.5 - i, max: 61 - i, count: 12 })),
    HOUR,
  );

  it('merges the projection after the history on one x axis, each series null where it has no point', () => {
    const projection = [3, 9, 15].map((h, i) => ({ at: T0 + h * HOUR, p10: 57 - 3 * i, p50: 57.5 - 2 * i, p90: 58 - i }));
    const chart = withForecast(history, projection, 20);
    assert.deepEqual(chart.x, [0, 1, 2, 3, 9, 15].map((h) => (T0 + h * HOUR) / 1000));
    assert.deepEqual(chart.avg, [60.5, 59.5, 58.5, 57.5, null, null]);
    assert.deepEqual(chart.forecast?.p50, [null, null, null, 57.5, 55.5, 53.5], 'the forecast starts at the last reading and never covers the past');
    assert.deepEqual(chart.forecast?.p10, [null, null, null, 57, 54, 51]);
    assert.equal(chart.forecast?.reorderPercent, 20);
    assert.equal(chart.forecast?.points, 3);
  });

  it('the expected line stops at empty while the band runs on to its high edge', () => {
    const projection = [3, 9, 15, 21].map((h, i) => ({ at: T0 + h * HOUR, p10: Math.max(0, 40 - 30 * i), p50: Math.max(0, 50 - 25 * i), p90: Math.max(0, 60 - 20 * i) }));
    const chart = withForecast(history, projection, 20);
    assert.deepEqual(chart.forecast?.p50.slice(-4), [50, 25, 0, null]);
    assert.deepEqual(chart.forecast?.p90.slice(-4), [60, 40, 20, 0]);
  });

  it('no projection (no forecast): the chart is the history alone', () => {
    const chart = withForecast(history, [], 20);
    assert.equal(chart.forecast, null);
    assert.deepEqual(chart.x, history.x);
  });
});
