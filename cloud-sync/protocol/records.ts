/**
 * What a gateway ships: its store's outbox records (gateway/store/records.ts, the
 * shape copied, not imported) in batches that declare their coverage, and what the
 * cloud answers. See README.md "Ingest" for the watermark rules.
 */
import { Type, type Static } from 'typebox';
import { EpochMs, LocalSensorId, Measurement, Quality, Seq, SeqCursor, SensorKind, Severity, Unit, text } from './primitives.js';

/** The most records one batch may carry (the gateway's cloud.batchMaxRecords tops out here). */
export const MAX_BATCH_RECORDS = 10_000;
/** An event's `data`: JSON nested at most this deep and this large once serialised. */
export const MAX_EVENT_DATA_DEPTH = 8;
export const MAX_EVENT_DATA_BYTES = 8_192;

/** A downsampled row replaces `count` readings of its sensor, seq..seqEnd and at..atEnd. */
export const DownsampledSpan = Type.Object(
  {
    seqEnd: Seq,
    atEnd: EpochMs,
    count: Type.Integer({ minimum: 2, maximum: 100_000_000 }),
    min: Measurement,
    max: Measurement,
  },
  { title: 'DownsampledSpan', additionalProperties: false },
);
export type DownsampledSpan = Static<typeof DownsampledSpan>;

export const ReadingRecord = Type.Object(
  {
    record: Type.Literal('reading'),
    seq: Seq,
    sensorId: LocalSensorId,
    sensorKind: SensorKind,
    at: EpochMs,
    /** The primary value: percent for level, %LEL for gas, °C, 1 = wet / 0 = dry; an average when downsampled. */
    value: Measurement,
    unit: Unit,
    raw: Type.Optional(Measurement),
    percent: Type.Optional(Measurement),
    litres: Type.Optional(Measurement),
    ppm: Type.Optional(Measurement),
    quality: Quality,
    /** False when the gateway's clock was not yet synchronised: `at` may be wrong. */
    clockSynced: Type.Boolean(),
    downsampled: Type.Optional(DownsampledSpan),
  },
  { title: 'ReadingRecord', additionalProperties: false },
);
export type ReadingRecord = Static<typeof ReadingRecord>;

export const EventRecord = Type.Object(
  {
    record: Type.Literal('event'),
    seq: Seq,
    at: EpochMs,
    /** A condition (low_level, gas, water_leak, sudden_drop, sensor_fault) or a system event type. */
    type: Type.String({
      pattern: '^[a-z][a-z0-9_.-]{0,63}$',
      errorMessage: 'must be an event type: lowercase letters, digits, "_", "." and "-", at most 64 characters',
    }),
    sensorId: Type.Optional(LocalSensorId),
    state: Type.Optional(Type.Union([Type.Literal('raised'), Type.Literal('cleared')])),
    severity: Severity,
    /** Above the severe level an alarm cannot be silenced. */
    severe: Type.Optional(Type.Boolean()),
    value: Type.Optional(Measurement),
    unit: Type.Optional(Unit),
    threshold: Type.Optional(Measurement),
    message: text(1_000),
    clockSynced: Type.Boolean(),
    /** Details (paths, counts): any JSON object, at most 8 levels deep and 8 KiB. */
    data: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), { maxProperties: 64 })),
  },
  { title: 'EventRecord', additionalProperties: false },
);
export type EventRecord = Static<typeof EventRecord>;

export const OutboxRecord = Type.Union([ReadingRecord, EventRecord]);
export type OutboxRecord = Static<typeof OutboxRecord>;

/**
 * "These are ALL my stored records with afterSeq < seq ≤ lastSeq", in seq order.
 * An empty batch with afterSeq < lastSeq says the range holds nothing (a reserved block);
 * afterSeq = lastSeq with no records just asks for the current ackedSeq.
 */
export const IngestBatch = Type.Object(
  {
    afterSeq: SeqCursor,
    lastSeq: SeqCursor,
    records: Type.Array(OutboxRecord, { maxItems: MAX_BATCH_RECORDS }),
  },
  { title: 'IngestBatch', additionalProperties: false },
);
export type IngestBatch = Static<typeof IngestBatch>;

export const IngestAck = Type.Object(
  {
    /** The highest seq below which the cloud holds everything: advance the durable cursor to it. */
    ackedSeq: SeqCursor,
    /** Records new to the cloud (or replacing raw rows by their downsampled summary). */
    stored: Type.Integer({ minimum: 0 }),
    /** Records the cloud already had: a resend, harmless. */
    duplicates: Type.Integer({ minimum: 0 }),
  },
  { title: 'IngestAck', additionalProperties: false },
);
export type IngestAck = Static<typeof IngestAck>;
