import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { clockSyncProbe } from './clock-sync.js';

describe('clock sync probe', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const runDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'easygas-run-'));
    dirs.push(d);
    return d;
  };

  it('follows systemd-timesyncd: unsynced until the marker appears, then stays synced', () => {
    const dir = runDir();
    mkdirSync(join(dir, 'timesync'));
    let t = Date.UTC(2026, 5, 1);
    const synced = clockSyncProbe({ runDir: dir, now: () => t });
    assert.equal(synced(), false);
    writeFileSync(join(dir, 'timesync', 'synchronized'), '');
    assert.equal(synced(), false, 'rechecked at most once a second');
    t += 1_000;
    assert.equal(synced(), true);
    rmSync(join(dir, 'timesync'), { recursive: true });
    assert.equal(synced(), true, 'a synced clock stays synced');
  });

  it('without timesyncd, distrusts a clock earlier than the build', () => {
    const dir = runDir();
    let t = Date.UTC(1970, 0, 2);
    const synced = clockSyncProbe({ runDir: dir, now: () => t, notBefore: Date.UTC(2026, 0, 1) });
    assert.equal(synced(), false);
    t = Date.UTC(2026, 10, 24);
    assert.equal(synced(), true);
  });

  it('honours a forced mode', () => {
    assert.equal(clockSyncProbe({ now: () => 0, mode: 'assume_synced' })(), true);
    assert.equal(clockSyncProbe({ now: () => Date.now(), mode: 'assume_unsynced' })(), false);
  });
});
