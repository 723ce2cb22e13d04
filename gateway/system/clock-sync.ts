/**
 * Is the wall clock trustworthy yet? A Pi has no RTC: after a power cut it boots
 * with the time it last saved (fake-hwclock) or 1970 until NTP answers. Readings
 * taken before then are stamped clockSynced = false, and the cloud keeps the mark.
 *
 * Evidence, in order:
 * 1. systemd-timesyncd present (/run/systemd/timesync exists): synced exactly when
 *    it has created /run/systemd/timesync/synchronized.
 * 2. otherwise, a clock earlier than this build cannot be right: not synced.
 * 3. otherwise (chrony, ntpd, a container): assume synced — we cannot tell.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface ClockSyncOptions {
  /** Root for the systemd runtime files (tests point it at a temp dir). */
  readonly runDir?: string;
  /** The earliest plausible wall time: this release's build date. */
  readonly notBefore?: number;
  readonly now: () => number;
  /** Config override: 'auto' (the evidence above), or force a value. */
  readonly mode?: 'auto' | 'assume_synced' | 'assume_unsynced';
}

/** Release floor: no real clock reads earlier than this build. */
export const BUILD_FLOOR_MS = Date.UTC(2026, 0, 1);

export function clockSyncProbe(options: ClockSyncOptions): () => boolean {
  const { runDir = '/run/systemd', notBefore = BUILD_FLOOR_MS, now, mode = 'auto' } = options;
  if (mode === 'assume_synced') return () => true;
  if (mode === 'assume_unsynced') return () => false;
  const timesync = join(runDir, 'timesync');
  const marker = join(timesync, 'synchronized');
  // Once synced, a clock stays synced for this process: stop touching the filesystem.
  let synced = false;
  let lastCheck = -Infinity;
  return () => {
    if (synced) return true;
    const t = now();
    // Called per sample: look at the filesystem at most once a second.
    if (t - lastCheck < 1_000 && t >= lastCheck) return false;
    lastCheck = t;
    if (existsSync(timesync)) synced = existsSync(marker);
    else synced = t >= notBefore;
    return synced;
  };
}
