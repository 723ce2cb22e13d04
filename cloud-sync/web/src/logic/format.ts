/**
 * Numbers, units and times as the homeowner reads them: the browser's locale and
 * time zone (injectable, so tests pin them). Every formatter is built once per
 * locale; nothing here reads the clock.
 */
export interface Formats {
  readonly locale: string;
  readonly timeZone: string;
  percent(value: number): string;
  litres(value: number): string;
  number(value: number, maxDigits?: number): string;
  /** A reading in its unit ("%LEL", "°C", "%"). */
  quantity(value: number, unit: string | null): string;
  /** 14:05 */
  time(at: number): string;
  /** Tue 3 Mar, 14:05 (the year only when it is not this one). */
  dateTime(at: number, now: number): string;
  /** Friday 13 March */
  date(at: number): string;
  /** 3 Mar */
  shortDate(at: number): string;
  /** "2 minutes ago", "in 3 days" */
  relative(at: number, now: number): string;
  /** "3 days", "5 hours", "40 seconds" */
  duration(ms: number): string;
  /** A local YYYY-MM-DD label (the analytics' days) as "Mon 9 Mar". */
  dayLabel(date: string): string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function browserZone(): { locale: string; timeZone: string } {
  const options = new Intl.DateTimeFormat().resolvedOptions();
  return { locale: options.locale, timeZone: options.timeZone };
}

export function makeFormats(locale: string, timeZone: string): Formats {
  const pct = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  const litres = new Intl.NumberFormat(locale, { style: 'unit', unit: 'liter', unitDisplay: 'short', maximumFractionDigits: 1 });
  const numbers = new Map<number, Intl.NumberFormat>();
  const num = (digits: number) => {
    let f = numbers.get(digits);
    if (f === undefined) {
      f = new Intl.NumberFormat(locale, { maximumFractionDigits: digits });
      numbers.set(digits, f);
    }
    return f;
  };
  const time = new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit' });
  const dayTime = new Intl.DateTimeFormat(locale, { timeZone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
  const dayTimeYear = new Intl.DateTimeFormat(locale, { timeZone, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
  const year = new Intl.DateTimeFormat('en', { timeZone, year: 'numeric' });
  const longDate = new Intl.DateTimeFormat(locale, { timeZone, weekday: 'long', day: 'numeric', month: 'long' });
  const shortDate = new Intl.DateTimeFormat(locale, { timeZone, day: 'numeric', month: 'short' });
  const utcDay = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' });
  const rel = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const units = (unit: 'second' | 'minute' | 'hour' | 'day') => new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long', maximumFractionDigits: 0 });
  const spans = { second: units('second'), minute: units('minute'), hour: units('hour'), day: units('day') };

  return {
    locale,
    timeZone,
    percent: (v) => pct.format(v / 100),
    litres: (v) => litres.format(v),
    number: (v, digits = 1) => num(digits).format(v),
    quantity: (v, unit) => {
      if (unit === '%') return pct.format(v / 100);
      const digits = Math.abs(v) >= 100 ? 0 : 1;
      return unit === null || unit === '' ? num(digits).format(v) : `${num(digits).format(v)} ${unit}`;
    },
    time: (at) => time.format(at),
    dateTime: (at, now) => (year.format(at) === year.format(now) ? dayTime : dayTimeYear).format(at),
    date: (at) => longDate.format(at),
    shortDate: (at) => shortDate.format(at),
    relative: (at, now) => {
      const diff = at - now;
      const abs = Math.abs(diff);
      if (abs < 45_000) return rel.format(0, 'second');
      if (abs < HOUR) return rel.format(Math.round(diff / MINUTE), 'minute');
      if (abs < DAY) return rel.format(Math.round(diff / HOUR), 'hour');
      return rel.format(Math.round(diff / DAY), 'day');
    },
    duration: (ms) => {
      const abs = Math.abs(ms);
      if (abs < MINUTE) return spans.second.format(Math.round(abs / 1000));
      if (abs < HOUR) return spans.minute.format(Math.round(abs / MINUTE));
      if (abs < 2 * DAY) return spans.hour.format(Math.round(abs / HOUR));
      return spans.day.format(Math.round(abs / DAY));
    },
    dayLabel: (date) => {
      const [y, m, d] = date.split('-').map(Number);
      return utcDay.format(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1));
    },
  };
}
