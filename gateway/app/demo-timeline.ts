/**
 * Where the simulated home's time begins. The time-lapse (`--speed N`) starts in
 * the past and catches up with the present, so no reading or event is ever stamped
 * in the future (the cloud would show it as the latest truth). It starts no earlier
 * than the last time this data directory was written to, so a restart never
 * re-simulates a stretch the store already holds.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { JOURNAL_FILE_NAME } from '../store/reading-journal.js';
import { DB_FILE_NAME } from '../store/store-files.js';

/** A time-lapse lasts at most this long in real time before the home keeps real pace. */
export const TIME_LAPSE_REAL_MS = 10 * 60_000;

/**
 * When the store in `dir` was last written (its database, WAL and reading journal);
 * undefined when it has never been. Other files (the credential, MQTT state) say
 * nothing about what the store holds.
 */
export function storeLastWrittenMs(dir: string): number | undefined {
  let newest: number | undefined;
  for (const name of [DB_FILE_NAME, `${DB_FILE_NAME}-wal`, JOURNAL_FILE_NAME]) {
    try {
      const { mtimeMs } = statSync(join(dir, name));
      if (newest === undefined || mtimeMs > newest) newest = mtimeMs;
    } catch {
      // Not there: nothing was written to it.
    }
  }
  return newest;
}

/**
 * How far in the past the simulated clock starts: a full time-lapse at `speed`, cut
 * short where the store already holds the time (`lastWrittenMs`, a real-time upper
 * bound of every stored timestamp, since simulated time never passes real time).
 */
export function timeLapseLeadMs(speed: number, nowMs: number, lastWritten: number | undefined): number {
  if (!(speed > 1)) return 0;
  const full = TIME_LAPSE_REAL_MS * (speed - 1);
  return lastWritten === undefined ? full : Math.max(0, Math.min(full, Math.floor(nowMs - lastWritten)));
}
