import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { lastWrittenMs, TIME_LAPSE_REAL_MS, timeLapseLeadMs } from './demo-timeline.js';

const NOW = Date.UTC(2026, 11, 7, 12);

describe('demo timeline', () => {
  it('a first start time-lapses the full lead; real pace needs none', () => {
    assert.equal(timeLapseLeadMs(60, NOW, undefined), TIME_LAPSE_REAL_MS * 59);
    assert.equal(timeLapseLeadMs(1, NOW, undefined), 0);
  });

  it('a restart starts no earlier than the last write, and never after now', () => {
    assert.equal(timeLapseLeadMs(60, NOW, NOW - 120_000), 120_000);
    assert.equal(timeLapseLeadMs(60, NOW, NOW - 86_400_000), TIME_LAPSE_REAL_MS * 59);
    assert.equal(timeLapseLeadMs(60, NOW, NOW + 5_000), 0); // a file from the future (a clock step): start now
  });

  it('reads the newest file time of a data directory, and nothing from a missing one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'easygas-timeline-'));
    try {
      assert.equal(lastWrittenMs(dir), undefined);
      writeFileSync(join(dir, 'a'), 'x');
      writeFileSync(join(dir, 'b'), 'y');
      utimesSync(join(dir, 'a'), new Date(NOW - 60_000), new Date(NOW - 60_000));
      utimesSync(join(dir, 'b'), new Date(NOW - 1_000), new Date(NOW - 1_000));
      assert.equal(lastWrittenMs(dir), NOW - 1_000);
      assert.equal(lastWrittenMs(join(dir, 'missing')), undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
