/**
 * Quiet hours in the user's time zone: warnings and notices wait until they end;
 * critical alarms always go through. A window may cross midnight (22:00–07:00).
 */
import type { QuietHours } from '../storage/types.js';

const MINUTE = 60_000;
const DAY_MINUTES = 24 * 60;

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** The local minute of the day and second of the minute at `at` in `timeZone`. */
function localClock(at: number, timeZone: string): { minute: number; ms: number } {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { minute: get('hour') * 60 + get('minute'), ms: at % MINUTE };
}

/**
 * When a non-critical message may be sent: `at` outside the window, else the
 * window's end (local time; across a DST change it may be an hour off, which a
 * warning can bear).
 */
export function quietUntil(at: number, quiet: QuietHours | null | undefined): number {
  if (quiet === null || quiet === undefined) return at;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return at;
  const { minute, ms } = localClock(at, quiet.timeZone);
  const inside = start < end ? minute >= start && minute < end : minute >= start || minute < end;
  if (!inside) return at;
  return at - ms + (((end - minute + DAY_MINUTES) % DAY_MINUTES) * MINUTE);
}
