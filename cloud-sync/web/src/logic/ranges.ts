/** The history chart's ranges: how far back, and the bucket that keeps it readable and fast. */
export type RangeName = '24h' | '7d' | '30d' | '1y' | 'custom';

export interface ChartRange {
  readonly name: RangeName;
  readonly from: number;
  readonly to: number;
  /** As the API takes it ("5m", "1h"). */
  readonly bucket: string;
  readonly bucketMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const RANGES: readonly { readonly name: Exclude<RangeName, 'custom'>; readonly label: string; readonly spanMs: number; readonly bucket: string; readonly bucketMs: number }[] = [
  { name: '24h', label: '24 h', spanMs: DAY, bucket: '5m', bucketMs: 5 * MINUTE },
  { name: '7d', label: '7 days', spanMs: 7 * DAY, bucket: '15m', bucketMs: 15 * MINUTE },
  { name: '30d', label: '30 days', spanMs: 30 * DAY, bucket: '1h', bucketMs: HOUR },
  { name: '1y', label: '1 year', spanMs: 365 * DAY, bucket: '1h', bucketMs: HOUR },
];

const NICE: readonly [string, number][] = [
  ['1m', MINUTE],
  ['5m', 5 * MINUTE],
  ['15m', 15 * MINUTE],
  ['1h', HOUR],
  ['3h', 3 * HOUR],
  ['1d', DAY],
];
/** A custom range gets the finest bucket that keeps it under this many points. */
export const MAX_CUSTOM_POINTS = 9_000;

export function presetRange(name: Exclude<RangeName, 'custom'>, now: number): ChartRange {
  const preset = RANGES.find((r) => r.name === name) ?? RANGES[0];
  if (preset === undefined) throw new Error('no ranges');
  // The end is a bucket past now, so the newest bucket is whole and readings a little ahead still show.
  const to = Math.ceil((now + 1) / preset.bucketMs) * preset.bucketMs;
  return { name, from: to - preset.spanMs, to, bucket: preset.bucket, bucketMs: preset.bucketMs };
}

export function customRange(from: number, to: number): ChartRange | { readonly error: string } {
  if (!Number.isFinite(from) || !Number.isFinite(to)) return { error: 'Choose both a start and an end.' };
  if (from >= to) return { error: 'The start must be before the end.' };
  if (to - from > 366 * DAY) return { error: 'Choose at most a year: longer ranges are coming.' };
  const [bucket, bucketMs] = NICE.find(([, ms]) => (to - from) / ms <= MAX_CUSTOM_POINTS) ?? ['1d', DAY];
  return { name: 'custom', from, to, bucket, bucketMs };
}

/** How many days of daily-usage bars go with a range (the API counts at most 366). */
export function usageDaysFor(range: ChartRange, now: number): number {
  const span = Math.max(now, range.to) - range.from;
  return Math.min(366, Math.max(7, Math.ceil(span / DAY)));
}
