/**
 * The arithmetic of ingest that both databases share, so they cannot disagree:
 * the contiguous watermark over declared coverage ranges, and which raw readings
 * a downsampled summary already accounts for.
 */
import type { EventRecord, IngestBatch, ReadingRecord, SensorKind } from '../../protocol/index.js';

export interface Coverage {
  readonly afterSeq: number;
  readonly lastSeq: number;
}

/** Ranges beyond a gap kept per gateway; more are dropped (the gateway just resends them). */
export const MAX_PENDING_COVERAGE = 64;

/**
 * A batch whose range starts at or below the watermark extends it; one beyond a
 * gap is remembered, and absorbed once the gap is filled. Returns the new watermark
 * and the pending ranges still beyond it (merged, lowest first, capped).
 */
export function advanceWatermark(
  watermark: number,
  pending: readonly Coverage[],
  batch: Coverage,
  maxPending = MAX_PENDING_COVERAGE,
): { watermark: number; pending: Coverage[] } {
  let mark = watermark;
  const ranges = [...pending];
  if (batch.lastSeq > mark) {
    if (batch.afterSeq <= mark) mark = batch.lastSeq;
    else ranges.push(batch);
  }
  ranges.sort((a, b) => a.afterSeq - b.afterSeq || a.lastSeq - b.lastSeq);
  for (const range of ranges) if (range.afterSeq <= mark && range.lastSeq > mark) mark = range.lastSeq;
  const merged: Coverage[] = [];
  for (const range of ranges) {
    if (range.lastSeq <= mark) continue;
    const last = merged[merged.length - 1];
    if (last !== undefined && range.afterSeq <= last.lastSeq) {
      merged[merged.length - 1] = { afterSeq: last.afterSeq, lastSeq: Math.max(last.lastSeq, range.lastSeq) };
    } else {
      merged.push(range);
    }
  }
  return { watermark: mark, pending: merged.slice(0, maxPending) };
}

/** A downsampled row's reach: the readings of one sensor it replaced. */
export interface Span {
  readonly sensorId: string;
  readonly seq: number;
  readonly seqEnd: number;
  readonly at: number;
  readonly atEnd: number;
}

export function spanOf(record: ReadingRecord): Span | undefined {
  const d = record.downsampled;
  return d === undefined ? undefined : { sensorId: record.sensorId, seq: record.seq, seqEnd: d.seqEnd, at: record.at, atEnd: d.atEnd };
}

/**
 * A raw (or smaller downsampled) reading inside a summary's seq and time span, of
 * the same sensor, is already counted by the summary. Time as well as seq, because
 * the gateway merges by time bucket: after a clock step a row of the same sensor
 * can sit between the summary's seqs yet outside its bucket.
 */
export function isCovered(record: ReadingRecord, spans: readonly Span[]): boolean {
  return spans.some(
    (s) =>
      s.sensorId === record.sensorId &&
      record.seq > s.seq &&
      record.seq <= s.seqEnd &&
      record.at >= s.at &&
      record.at <= s.atEnd &&
      (record.downsampled?.seqEnd ?? record.seq) <= s.seqEnd,
  );
}

export interface SensorSighting {
  readonly kind: SensorKind;
  readonly unit: string;
}

export interface IngestPlan {
  /** Readings to insert (not covered by a summary the cloud or this batch holds). */
  readonly readings: readonly ReadingRecord[];
  /** Readings a summary already accounts for: duplicates in effect. */
  readonly covered: number;
  readonly events: readonly EventRecord[];
  /** Every sensor the batch's readings name, with its latest kind and unit. */
  readonly sensors: ReadonlyMap<string, SensorSighting>;
}

/**
 * Where retention may have pruned raw readings: a record at or below the watermark
 * (so the cloud has stored it) and older than the pruning horizon may be gone from
 * the table, so its absence does not make it new; counting it again would count it
 * twice in the rollups.
 */
export interface PrunedHorizon {
  readonly ackedSeq: number;
  readonly before: number;
}

export function planIngest(batch: IngestBatch, storedSpans: readonly Span[], pruned: PrunedHorizon = { ackedSeq: 0, before: 0 }): IngestPlan {
  const spans = [...storedSpans];
  for (const r of batch.records) {
    if (r.record === 'reading') {
      const span = spanOf(r);
      if (span !== undefined) spans.push(span);
    }
  }
  const readings: ReadingRecord[] = [];
  const events: EventRecord[] = [];
  const sensors = new Map<string, SensorSighting>();
  let covered = 0;
  for (const r of batch.records) {
    if (r.record === 'event') {
      events.push(r);
      continue;
    }
    sensors.set(r.sensorId, { kind: r.sensorKind, unit: r.unit });
    if (isCovered(r, spans) || (r.seq <= pruned.ackedSeq && r.at < pruned.before)) covered++;
    else readings.push(r);
  }
  return { readings, covered, events, sensors };
}

/** The aggregate columns of a stored reading: a raw one is its own min, max and count of 1. */
export function aggregateColumns(r: ReadingRecord): { min: number; max: number; count: number; seqEnd: number | null; atEnd: number | null } {
  const d = r.downsampled;
  return d === undefined
    ? { min: r.value, max: r.value, count: 1, seqEnd: null, atEnd: null }
    : { min: d.min, max: d.max, count: d.count, seqEnd: d.seqEnd, atEnd: d.atEnd };
}
