/**
 * Simulated time is labelled as such wherever the gateway's uptime or clock is shown
 * (`easygas status`, the status page), so it is never read as real beside the real
 * time of the last sync; a gateway on real time shows no label.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { statusText } from '../cli/status-format.js';
import { renderStatusPage } from './status-page.js';
import type { StatusView } from './status-view.js';

function view(simulatedSpeed?: number): StatusView {
  const now = Date.UTC(2026, 11, 7, 1, 0, 0);
  return {
    gateway: { id: 'gw', name: 'Home', version: '0.1.0', hardware: 'simulated home', startedAt: now - 3 * 3_600_000, now, clockSynced: true, ...(simulatedSpeed !== undefined ? { simulatedSpeed } : {}) },
    sensors: [],
    alarms: [],
    testing: false,
    sync: { state: 'idle', backlog: 0, lastSyncAt: now },
  };
}

describe('simulated time is labelled', () => {
  it('in easygas status: the uptime is simulated, at its speed', () => {
    const [first, second] = statusText(view(60)).split('\n');
    assert.match(first!, /up 3 h \(simulated\)/);
    assert.match(second!, /^Time: \(simulated time: a 60× time-lapse until it catches up with real time\)$/);
    assert.doesNotMatch(statusText(view()), /simulated time/);
  });

  it('on the status page: beside the time it was updated', () => {
    assert.match(renderStatusPage(view(60)), /Updated 2026-12-07 01:00:00 UTC \(simulated time: a 60× time-lapse until it catches up with real time\)/);
    assert.doesNotMatch(renderStatusPage(view()), /simulated time/);
  });
});
