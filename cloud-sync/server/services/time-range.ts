/**
 * The time window and bucket of a history query: instants as epoch ms or ISO 8601,
 * buckets as "5m"/"1h"/"1d" or ms, and, when no bucket is given, the smallest
 * "nice" one that keeps the chart near 500 points (a year → 1 day).
 */
import { MAX_EPOCH_MS } from '../../protocol/index.js';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const NICE_BUCKETS_MS: readonly number[] = [MINUTE, 5 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 30 * DAY];
export const TARGET_POINTS = 500;
/** An explicit bucket may ask for more points, up to this. */
export const MAX_POINTS = 10_000;
export const MIN_BUCKET_MS = SECOND;
export const DEFAULT_SPAN_MS = DAY;
/** When `to` is omitted it is a minute ahead, so readings from a gateway whose clock runs a little fast still show. */
export const DEFAULT_LOOKAHEAD_MS = MINUTE;

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: SECOND, m: MINUTE, h: HOUR, d: DAY, w: 7 * DAY };
const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** "1767225600000" or "2026-01-01T00:00:00Z" (a date alone is midnight UTC). */
export function parseInstant(text: string): number | undefined {
  if (/^\d{1,15}$/.test(text)) {
    const ms = Number(text);
    return ms <= MAX_EPOCH_MS ? ms : undefined;
  }
  if (!ISO.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) && ms >= 0 && ms <= MAX_EPOCH_MS ? ms : undefined;
}

/** "90s", "5m", "1h", "1d", "1w", or plain milliseconds. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d{1,12})(ms|s|m|h|d|w)?$/.exec(text);
  if (match === null) return undefined;
  const ms = Number(match[1]) * (UNITS[match[2] ?? 'ms'] ?? 1);
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/** The smallest nice bucket giving at most TARGET_POINTS buckets over the span. */
export function autoBucket(spanMs: number): number {
  for (const bucket of NICE_BUCKETS_MS) if (Math.ceil(spanMs / bucket) <= TARGET_POINTS) return bucket;
  return Math.ceil(spanMs / TARGET_POINTS / DAY) * DAY;
}

export interface RangeQuery {
  readonly from?: string;
  readonly to?: string;
  readonly bucket?: string;
}

export type ResolvedRange = { readonly ok: true; readonly from: number; readonly to: number; readonly bucketMs: number } | { readonly ok: false; readonly reason: string };

export function resolveRange(query: RangeQuery, now: number): ResolvedRange {
  const to = query.to === undefined ? now + DEFAULT_LOOKAHEAD_MS : parseInstant(query.to);
  if (to === undefined) return { ok: false, reason: `query.to: "${query.to}" is not a time: use epoch milliseconds or ISO 8601 (2026-01-31T00:00:00Z)` };
  const from = query.from === undefined ? Math.max(0, to - DEFAULT_SPAN_MS) : parseInstant(query.from);
  if (from === undefined) return { ok: false, reason: `query.from: "${query.from}" is not a time: use epoch milliseconds or ISO 8601 (2026-01-01T00:00:00Z)` };
  if (from >= to) return { ok: false, reason: `query.from must be before query.to (${new Date(from).toISOString()} ≥ ${new Date(to).toISOString()})` };
  if (query.bucket === undefined) return { ok: true, from, to, bucketMs: autoBucket(to - from) };
  const bucketMs = parseDuration(query.bucket);
  if (bucketMs === undefined || bucketMs < MIN_BUCKET_MS) {
    return { ok: false, reason: `query.bucket: "${query.bucket}" is not a bucket size: use 1s or more, e.g. 5m, 1h, 1d (or milliseconds)` };
  }
  const points = Math.ceil((to - from) / bucketMs);
  if (points > MAX_POINTS) {
    return { ok: false, reason: `query.bucket: ${query.bucket} over this range makes ${points} points; the most is ${MAX_POINTS}: use a larger bucket or omit it` };
  }
  return { ok: true, from, to, bucketMs };
}
