/**
 * Wall-clock fields (local date, weekday, hour, month) for many instants in one
 * time zone, fast enough for a year of hourly rows: the zone's UTC offset is asked
 * of Intl at the ends of each UTC week and reused when they agree; only the two
 * DST-change days a year are asked per instant.
 */
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

export interface LocalTime {
  /** YYYY-MM-DD. */
  readonly date: string;
  /** YYYY-MM. */
  readonly month: string;
  /** 0 = Sunday. */
  readonly weekday: number;
  readonly hour: number;
}

export type LocalClock = (at: number) => LocalTime;

function offsetReader(timeZone: string): (at: number) => number {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  return (at) => {
    const parts = format.formatToParts(at);
    const part = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
    const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
    return wall - Math.floor(at / 1000) * 1000;
  };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** A clock for `timeZone` (IANA name; UTC by default). Throws RangeError for an unknown zone. */
export function localClock(timeZone = 'UTC'): LocalClock {
  const offsetAt = offsetReader(timeZone);
  // A week whose two ends share an offset has it throughout (DST changes are months apart);
  // only the days of a week with a change are asked one by one.
  const known = new Map<string, number | null>();
  const steady = (span: number, index: number): number | null => {
    const key = `${span}:${index}`;
    let offset = known.get(key);
    if (offset === undefined) {
      const start = offsetAt(index * span);
      offset = start === offsetAt((index + 1) * span - 1) ? start : null;
      known.set(key, offset);
    }
    return offset;
  };
  const offset = (at: number): number => {
    if (timeZone === 'UTC') return 0;
    return steady(7 * DAY, Math.floor(at / (7 * DAY))) ?? steady(DAY, Math.floor(at / DAY)) ?? offsetAt(at);
  };
  return (at) => {
    const wall = new Date(at + offset(at));
    const y = wall.getUTCFullYear();
    const m = wall.getUTCMonth() + 1;
    return { date: `${pad(y, 4)}-${pad(m)}-${pad(wall.getUTCDate())}`, month: `${pad(y, 4)}-${pad(m)}`, weekday: wall.getUTCDay(), hour: wall.getUTCHours() };
  };
}
