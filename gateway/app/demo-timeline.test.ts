import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { storeLastWrittenMs, TIME_LAPSE_REAL_MS, timeLapseLeadMs } from './demo-timeline.js';

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

  it("reads when the store was last written, from the store's files only", () => {
    const dir = mkdtempSync(join(tmpdir(), 'easygas-timeline-'));
    try {
      assert.equal(storeLastWrittenMs(dir), undefined);
      const touch = (name: string, at: number): void => {
        writeFileSync(join(dir, name), 'x');
        utimesSync(join(dir, name), new Date(at), new Date(at));
      };
      touch('gateway.db', NOW - 60_000);
      touch('readings.journal', NOW - 1_000);
      touch('cloud-credential.json', NOW); // written by provisioning, not the store
      assert.equal(storeLastWrittenMs(dir), NOW - 1_000);
      assert.equal(storeLastWrittenMs(join(dir, 'missing')), undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
