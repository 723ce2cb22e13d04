/**
 * The hush button and restarts, through the whole daemon on the simulated home:
 * a water-leak alarm hushed with the button goes quiet for the hush time and
 * sounds again while still wet; a restart during a hush does not keep it quiet.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startRig } from '../app/test-support/daemon-rig.js';

const MINUTE = 60_000;

describe('hush and restart', () => {
  it('the button silences a water-leak alarm for the hush time, then it sounds again', async () => {
    const rig = await startRig({ scenario: 'water-leak' });
    try {
      await rig.clock.advance(5 * MINUTE);
      assert.ok(rig.daemon.alarms.active.some((a) => a.condition === 'water_leak'), 'the leak alarm is active');
      assert.ok(rig.buzzerOnsets(0).length > 0, 'and sounding');
      rig.home.hushButton?.press();
      await rig.clock.advance(1_000);
      const hushedAt = rig.clock.monotonic();
      const hush = rig.config.alarms.hush;
      assert.equal(rig.home.simGpio.output(rig.buzzerLine), 0);
      await rig.clock.advance(hush - 2_000);
      assert.deepEqual(rig.buzzerOnsets(hushedAt), [], 'quiet through the hush');
      await rig.clock.advance(3_000);
      assert.ok(rig.buzzerOnsets(hushedAt).length > 0, 'sounds again when the hush ends, the sink still wet');
      const types = (await rig.store.events({ limit: 50 })).map((e) => e.type);
      assert.ok(types.includes('alarm_silenced') && types.includes('alarm_resounded'), `events: ${types.join(', ')}`);
    } finally {
      await rig.stop();
    }
  });

  it('a restart during a hush does not keep an active alarm quiet', async () => {
    const first = await startRig({ scenario: 'water-leak' });
    await first.clock.advance(5 * MINUTE);
    first.home.hushButton?.press();
    await first.clock.advance(1_000);
    assert.equal(first.home.simGpio.output(first.buzzerLine), 0, 'hushed');
    await first.stop(false); // the daemon restarts; the house (and the leak) stays

    const second = await startRig({ home: first.home, clock: first.clock, dataDir: first.dataDir });
    try {
      const restartedAt = second.clock.monotonic();
      await second.clock.advance(3_000);
      const onsets = second.buzzerOnsets(restartedAt);
      assert.ok(onsets.length > 0, 'the alarm sounds again right after the restart');
      assert.ok(onsets[0]! - restartedAt <= 2_000, `within a couple of seconds, not after the hush (at +${onsets[0]! - restartedAt} ms)`);
    } finally {
      await second.stop();
    }
  });
});
