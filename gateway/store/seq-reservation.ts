/**
 * A tiny file beside gateway.db that remembers the gateway's id and a block of
 * sequence numbers reserved ahead of use. When the database is lost (corrupt,
 * moved aside, deleted), the fresh one continues after the reservation, so no seq is
 * ever reused: the cloud upserts on (gateway, seq) and would drop new data as a
 * duplicate of old. Written rarely (once per block) to spare the SD card.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export const SEQ_RESERVATION_BLOCK = 100_000;

export interface SeqReservation {
  readonly gatewayId: string;
  /** Every seq up to this one may have been used. */
  readonly reservedThrough: number;
}

export function seqReservationPath(dbPath: string): string {
  return `${dbPath}.seq.json`;
}

/** The reservation, or undefined when the file is missing or unreadable. */
export function readSeqReservation(path: string): SeqReservation | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { gatewayId, reservedThrough } = parsed as Record<string, unknown>;
    if (typeof gatewayId !== 'string' || gatewayId === '') return undefined;
    if (typeof reservedThrough !== 'number' || !Number.isSafeInteger(reservedThrough) || reservedThrough < 0) {
      return undefined;
    }
    return { gatewayId, reservedThrough };
  } catch {
    return undefined;
  }
}

/** Writes atomically and durably: temp file, fsync, rename, fsync the directory. */
export function writeSeqReservation(path: string, reservation: SeqReservation): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(reservation)}\n`);
  fsyncPath(tmp);
  renameSync(tmp, path);
  fsyncPath(dirname(path));
}

/** Keeps the reservation ahead of the seqs in use, one block at a time. */
export class SeqReserver {
  readonly #path: string | undefined;
  readonly #gatewayId: string;
  readonly #onFailure: () => void;
  #reservedThrough: number;

  /** `path` undefined: no reservation file (tests, tools). `onFailure` counts a write that failed (retried next time). */
  constructor(path: string | undefined, gatewayId: string, reservedThrough: number, onFailure: () => void) {
    this.#path = path;
    this.#gatewayId = gatewayId;
    this.#reservedThrough = reservedThrough;
    this.#onFailure = onFailure;
  }

  /** Makes sure `seq` is covered by the durable reservation before any record uses it. */
  reserve(seq: number): void {
    if (this.#path === undefined || seq <= this.#reservedThrough) return;
    const reservedThrough = seq + SEQ_RESERVATION_BLOCK;
    try {
      writeSeqReservation(this.#path, { gatewayId: this.#gatewayId, reservedThrough });
      this.#reservedThrough = reservedThrough;
    } catch {
      this.#onFailure();
    }
  }
}

/** fsync a file or a directory (a rename is durable once its directory is). */
export function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
