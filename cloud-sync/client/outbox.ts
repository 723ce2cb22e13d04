/**
 * What the sync agent needs from the gateway's store, and nothing more: the
 * gateway adapts its store to this (gateway/app/store-outbox.ts), so this folder
 * never touches SQLite.
 */
import type { OutboxRecord } from '../protocol/index.js';

export interface OutboxLimits {
  readonly maxRecords: number;
  /** Approximate JSON bytes of the batch; at least one record is always returned. */
  readonly maxBytes: number;
}

export interface OutboxBacklog {
  /** The store's durable acknowledged cursor. */
  readonly ackedSeq: number;
  /** Records after the cursor. */
  readonly records: number;
}

export interface Outbox {
  /**
   * Every stored record with seq > afterSeq, in seq order, up to the limits. The
   * result must be complete for its range: no record with afterSeq < seq ≤ last
   * returned seq may be missing (it would be declared absent to the cloud).
   */
  read(afterSeq: number, limits: OutboxLimits): Promise<readonly OutboxRecord[]>;
  /** Moves the durable cursor forward to `seq` (never back); resolves with the cursor. */
  ack(seq: number): Promise<number>;
  backlog(): Promise<OutboxBacklog>;
}
