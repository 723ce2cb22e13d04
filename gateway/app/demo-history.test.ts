import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ManualClock } from '../../hardware/sim/manual-clock.js';
import { createLogger } from '../logging.js';
import { InProcessStore } from '../store/in-process-store.js';
import { fillDemoHistory } from './demo-history.js';
import { exampleConfig } from './test-support/daemon-rig.js';

const TO = Date.UTC(2026, 11, 7, 12);
const DAY = 86_400_000;

describe('demo history', () => {
  it('fills two past days through the daemon into the store: every sensor, every 5 minutes, nothing at or after the end', { timeout: 120_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'easygas-history-'));
    try {
      const days: number[] = [];
      const history = await fillDemoHistory({
        config: await exampleConfig(), dataDir, gatewayId: 'history-test', fromMs: TO - 2 * DAY, toMs: TO, utcOffsetMinutes: 0,
        logger: createLogger({ level: 'silent', pretty: false }),
        onDay: (done, total) => days.push(done * 10 + total),
      });
      assert.deepEqual(days, [12, 22]);
      // Four sensors × 288 a day × 2 days, give or take the first and last interval.
      assert.ok(history.readings > 2_200 && history.readings < 2_400, `${history.readings} readings`);
      assert.ok(history.world.lpgCylinder?.initialPercentOfFill !== undefined && history.world.waterTank?.initialLevelMm !== undefined);

      const store = new InProcessStore({ dataDir, clock: new ManualClock(TO) });
      try {
        for (const sensor of ['lpg', 'roof-tank', 'kitchen-gas', 'sink-leak']) {
          const rows = await store.readingsFor(sensor, { limit: 10_000 });
          assert.ok(rows.length > 500, `${sensor}: ${rows.length} rows`);
          const times = rows.map((r) => r.at);
          assert.ok(Math.min(...times) >= TO - 2 * DAY && Math.max(...times) < TO, `${sensor}: readings inside the history span: ${Math.min(...times) - (TO - 2 * DAY)} ms after the start, ${TO - Math.max(...times)} ms before the end`);
          assert.ok(times.every((t, i) => i === 0 || t > times[i - 1]!), `${sensor}: in time order`);
        }
        const faults = (await store.events({ limit: 1_000 })).filter((e) => e.type === 'sensor_fault' && e.state === 'raised');
        assert.deepEqual(faults, [], 'a healthy simulated month raises no sensor fault');
        const lifecycle = (await store.events({ limit: 1_000 })).filter((e) => e.type === 'gateway_started' || e.type === 'gateway_stopped');
        assert.deepEqual(lifecycle, [], 'the past has no restarts of its own');
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
