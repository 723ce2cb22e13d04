/**
 * Where the simulated home's time begins. The time-lapse (`--speed N`) starts in
 * the past and catches up with the present, so no reading or event is ever stamped
 * in the future (the cloud would show it as the latest truth). It starts no earlier
 * than the last time this data directory was written to, so a restart never
 * re-simulates a stretch the store already holds.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** A time-lapse lasts at most this long in real time before the home keeps real pace. */
export const TIME_LAPSE_REAL_MS = 10 * 60_000;

/** The newest modification time of any file directly in `dir`; undefined when there is none. */
export function lastWrittenMs(dir: string): number | undefined {
  let newest: number | undefined;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return undefined;
  }
  for (const name of names) {
    try {
      const stat = statSync(join(dir, name));
      if (stat.isFile() && (newest === undefined || stat.mtimeMs > newest)) newest = stat.mtimeMs;
    } catch {
      // Gone between the listing and the stat: nothing to learn from it.
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
