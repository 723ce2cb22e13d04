/**
 * The leak watch through the whole daemon (issue 20 item 4), with cloud sync off:
 * the simulated home's roof tank (about 1,000 L) leaks 10 L/h from 08:00, and the
 * gateway raises a "possible leak" warning in the first night from its own readings —
 * stored like any event, never the gas alarm's buzzer.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startRig, T0 } from '../app/test-support/daemon-rig.js';

const HOUR = 3_600_000;

describe('slow leak on the simulated home', () => {
  it('a 10 L/h leak from the roof tank is noticed by the end of the first night, offline', async (t) => {
    // No `sync`: the rig wires no cloud sync at all, as on a Pi that is offline.
    const rig = await startRig({ scenario: 'slow-leak' });
    try {
      await rig.clock.advance(22 * HOUR);
      const leak = rig.conditions.find((e) => e.sensorId === 'roof-tank' && e.condition === 'possible_leak');
      assert.ok(leak !== undefined, 'a possible leak was raised');
      assert.equal(leak.state, 'raised');
      assert.equal(leak.severity, 'warning');
      assert.match(leak.message, /possible leak — .*check taps, the float valve, pipes/);
      const hours = (leak.at - T0) / HOUR;
      assert.ok(hours < 22, `noticed ${hours.toFixed(1)} h after the leak started`);
      t.diagnostic(`noticed ${hours.toFixed(2)} h after the leak started: ${leak.message}`);
      assert.ok(!rig.conditions.some((e) => e.condition === 'gas'), 'never the gas alarm');
      // Active in the alarm book: what `easygas status` lists and MQTT publishes.
      const active = rig.daemon.alarms.active.find((a) => a.condition === 'possible_leak');
      assert.equal(active?.severity, 'warning');
      // Stored in SQLite like any event (the outbox uploads it once the cloud is back), and active.
      await rig.store.flush();
      const storedActive = await rig.store.events({ activeOnly: true });
      const stored = storedActive.find((e) => e.type === 'possible_leak' && e.sensorId === 'roof-tank');
      assert.ok(stored !== undefined, `stored and active: ${storedActive.map((e) => e.type).join(', ')}`);
      assert.equal(stored.message, leak.message);
    } finally {
      await rig.stop();
    }
  });

});
