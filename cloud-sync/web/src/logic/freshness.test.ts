import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Reading } from '../api/types.js';
import { sensorDisplay, type GatewayFreshness } from './freshness.js';

const NOW = Date.UTC(2026, 2, 3, 12);
const reading = (over: Partial<Reading> = {}): Reading => ({
  seq: 1,
  at: NOW - 20_000,
  value: 62,
  unit: '%',
  raw: 1.1,
  percent: 62,
  litres: 41,
  ppm: null,
  quality: 'ok',
  clockSynced: true,
  downsampled: null,
  ...over,
});
const online: GatewayFreshness = { online: true, lastSeenAt: NOW - 30_000, backlog: { records: 0, oldestAt: null } };

describe('what a sensor card may show', () => {
  it('a good, fresh reading from an online gateway is current', () => {
    assert.equal(sensorDisplay({ health: 'ok', lastReadingAt: NOW }, reading(), online, NOW).kind, 'current');
  });

  it('a sensor that is not ok shows its state in words, never its number', () => {
    for (const health of ['disconnected', 'warming_up', 'stuck', 'noisy', 'out_of_range'] as const) {
      const shown = sensorDisplay({ health, lastReadingAt: NOW }, reading(), online, NOW);
      assert.equal(shown.kind, 'state', health);
      assert.ok(!('reading' in shown), `${health} must not carry a number`);
    }
    const badQuality = sensorDisplay({ health: 'ok', lastReadingAt: NOW }, reading({ quality: 'noisy' }), online, NOW);
    assert.deepEqual([badQuality.kind, badQuality.kind === 'state' && badQuality.words], ['state', 'Noisy readings']);
  });

  it('stale after three intervals (the gateway says so): the number is labelled old', () => {
    const shown = sensorDisplay({ health: 'stale', lastReadingAt: NOW - 600_000 }, reading({ at: NOW - 600_000 }), online, NOW);
    assert.equal(shown.kind, 'old');
    assert.match(shown.kind === 'old' ? shown.why : '', /no reading for more than three sampling intervals/);
  });

  it('an offline gateway makes every number old', () => {
    const shown = sensorDisplay({ health: 'ok', lastReadingAt: NOW }, reading(), { ...online, online: false }, NOW);
    assert.deepEqual([shown.kind, shown.kind === 'old' && shown.why], ['old', 'The gateway is offline: this is its last reading']);
  });

  it('newer readings waiting to upload for more than 3 minutes make the cloud’s latest old', () => {
    const lagging = { ...online, backlog: { records: 1200, oldestAt: NOW - 10 * 60_000 } };
    assert.equal(sensorDisplay({ health: 'ok', lastReadingAt: NOW }, reading(), lagging, NOW).kind, 'old');
    const brief = { ...online, backlog: { records: 3, oldestAt: NOW - 5_000 } };
    assert.equal(sensorDisplay({ health: 'ok', lastReadingAt: NOW }, reading(), brief, NOW).kind, 'current', 'a batch in flight is normal');
  });

  it('no reading yet says so', () => {
    assert.equal(sensorDisplay({ health: null, lastReadingAt: null }, null, online, NOW).kind, 'none');
  });
});
