/**
 * Calendar days in a time zone: where each local day starts (23, 24 or 25 hours
 * long around a DST change) and its YYYY-MM-DD label, so "used today" means the
 * homeowner's today. Time zones are IANA names ("Europe/London"); UTC by default.
 */
import { apiError } from '../errors.js';

const HOUR = 3_600_000;

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The query's time zone, or a 400 naming `query.tz`. */
export function requireTimeZone(name: string): string {
  if (isTimeZone(name)) return name;
  const issue = { path: 'query.tz', message: 'must be an IANA time zone such as Europe/London or America/New_York' };
  throw apiError('EASYGAS_VALIDATION', { summary: `invalid query: query.tz: ${issue.message}` }, { issues: [issue] });
}

interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

function formatter(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

function wallClock(format: Intl.DateTimeFormat, at: number): WallClock {
  const part = (parts: Intl.DateTimeFormatPart[], type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const parts = format.formatToParts(at);
  return {
    year: part(parts, 'year'),
    month: part(parts, 'month'),
    day: part(parts, 'day'),
    hour: part(parts, 'hour'),
    minute: part(parts, 'minute'),
    second: part(parts, 'second'),
  };
}

/** How far the zone's wall clock is ahead of UTC at `at` (ms). */
function offsetAt(format: Intl.DateTimeFormat, at: number): number {
  const w = wallClock(format, at);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(at / 1000) * 1000;
}

/** The instant the local day holding `at` began. (Where a DST jump skips midnight, the first instant after it.) */
export function startOfLocalDay(at: number, timeZone: string): number {
  const format = formatter(timeZone);
  const w = wallClock(format, at);
  const midnightAsUtc = Date.UTC(w.year, w.month - 1, w.day);
  // Two passes: the offset at the guess may differ from the offset at `at` across a DST change.
  const guess = midnightAsUtc - offsetAt(format, midnightAsUtc);
  const start = midnightAsUtc - offsetAt(format, guess);
  return start > at ? guess : start;
}

function label(format: Intl.DateTimeFormat, at: number): string {
  const w = wallClock(format, at);
  return `${String(w.year).padStart(4, '0')}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

export interface CalendarDays {
  /** count + 1 instants: day i is [starts[i], starts[i + 1]). */
  readonly starts: readonly number[];
  /** The local date of each day, YYYY-MM-DD. */
  readonly dates: readonly string[];
}

/** `count` local days from the one starting at `firstDay` (a local midnight). */
export function calendarDaysFrom(firstDay: number, count: number, timeZone = 'UTC'): CalendarDays {
  const format = formatter(timeZone);
  const starts = [firstDay];
  for (let i = 0; i < count; i++) starts.push(startOfLocalDay((starts[i] ?? firstDay) + 36 * HOUR, timeZone));
  return { starts, dates: starts.slice(0, count).map((s) => label(format, s)) };
}

/** `count` local days ending with the one holding `at`. */
export function calendarDaysUntil(at: number, count: number, timeZone = 'UTC'): CalendarDays {
  const format = formatter(timeZone);
  const starts = [startOfLocalDay(at, timeZone)];
  for (let i = 1; i < count; i++) starts.unshift(startOfLocalDay((starts[0] ?? at) - 12 * HOUR, timeZone));
  starts.push(startOfLocalDay((starts[starts.length - 1] ?? at) + 36 * HOUR, timeZone));
  return { starts, dates: starts.slice(0, count).map((s) => label(format, s)) };
}
