import { it } from 'node:test';
import { startRig, T0 } from '/work/wt/h20-gw/gateway/app/test-support/daemon-rig.js';
it('quiet home', async (t) => {
  const rig = await startRig();
  try {
    await rig.clock.advance(46 * 3_600_000);
    for (const e of rig.conditions.filter((e) => e.condition === 'possible_leak')) t.diagnostic(`${((e.at - T0) / 3600000).toFixed(2)} ${e.message}`);
  } finally { await rig.stop(); }
});
