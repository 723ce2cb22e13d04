/**
 * Which stored aggregates answer a bucketed query over from ≤ at < to exactly as
 * the raw readings would. A rollup bucket can stand in for its readings only when
 * it lies wholly inside [from, to) and wholly inside one output bucket, so the
 * plan uses the coarsest rollup span that divides the output bucket for the
 * aligned middle of the range, finer spans for the edges, and raw readings for
 * what is left (less than 5 minutes at each end). A year at 1-day buckets reads
 * ≤ 8,760 hourly rows; a bucket no rollup divides (90 s, 7 min) reads raw rows.
 *
 * Before `rawFrom` retention may have pruned the raw readings: there the raw ends
 * of a range are answered by their whole 5-minute rollup (the range is rounded out
 * to 5 minutes), which is the most that is kept.
 */
export const ROLLUP_SPANS_MS = [3_600_000, 300_000] as const;
export type RollupSpan = (typeof ROLLUP_SPANS_MS)[number];

export interface Segment {
  /** A rollup span, or 'raw' for the readings themselves. */
  readonly source: RollupSpan | 'raw';
  readonly from: number;
  readonly to: number;
}

const up = (t: number, span: number): number => Math.ceil(t / span) * span;
const down = (t: number, span: number): number => Math.floor(t / span) * span;

const FIVE_MINUTES = 300_000;

export function planHistory(from: number, to: number, bucketMs: number, rawFrom = 0, spans: readonly RollupSpan[] = ROLLUP_SPANS_MS): Segment[] {
  if (from >= to) return [];
  const exact = planExact(from, to, bucketMs, spans);
  if (rawFrom <= from || bucketMs % FIVE_MINUTES !== 0 || !spans.includes(FIVE_MINUTES)) return exact;
  return exact.flatMap((segment): Segment[] => {
    if (segment.source !== 'raw' || segment.from >= rawFrom) return [segment];
    const kept = segment.to > rawFrom ? [{ source: 'raw' as const, from: rawFrom, to: segment.to }] : [];
    return [{ source: FIVE_MINUTES, from: down(segment.from, FIVE_MINUTES), to: up(Math.min(segment.to, rawFrom), FIVE_MINUTES) }, ...kept];
  });
}

function planExact(from: number, to: number, bucketMs: number, spans: readonly RollupSpan[]): Segment[] {
  const usable = spans.filter((span) => bucketMs % span === 0);
  const plan = (a: number, b: number, options: readonly RollupSpan[]): Segment[] => {
    if (a >= b) return [];
    const [span, ...finer] = options;
    if (span === undefined) return [{ source: 'raw', from: a, to: b }];
    const start = up(a, span);
    const end = down(b, span);
    if (start >= end) return plan(a, b, finer);
    return [...plan(a, start, finer), { source: span, from: start, to: end }, ...plan(end, b, finer)];
  };
  return plan(from, to, usable);
}
