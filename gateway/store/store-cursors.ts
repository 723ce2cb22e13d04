/**
 * Where a gateway store picks up on open: its id, the journal's pending readings,
 * the last seq used and the acked cursor, from the meta table, the journal and the
 * seq reservation beside the file (which keeps a replaced database from reusing a
 * seq). Written back at once, so the next open starts from the same place.
 */
import { randomUUID } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import { JournaledReadings } from './journaled-readings.js';
import { readSeqReservation, seqReservationPath, type SeqReservation } from './seq-reservation.js';
import type { StoreStatements } from './store-statements.js';

export const ORIGIN_KEY = 'origin.readings';
export const TRANSFER_MARKER_KEY = 'journal.transferred';

export interface OpenedCursors {
  readonly gatewayId: string;
  readonly readings: JournaledReadings;
  readonly lastSeq: number;
  readonly ackedSeq: number;
  readonly reservation: SeqReservation | undefined;
  readonly reservationPath: string | undefined;
}

export function openCursors(
  db: BetterSqlite3.Database,
  stmt: StoreStatements,
  path: string,
  options: { readonly gatewayId?: string; readonly reserveSeqs?: boolean },
): OpenedCursors {
  const reservationPath = options.reserveSeqs === false ? undefined : seqReservationPath(path);
  const reservation = reservationPath !== undefined ? readSeqReservation(reservationPath) : undefined;
  const meta = (key: string): string | undefined => stmt.getMeta.get(key) as string | undefined;
  const storedId = meta('gateway_id');
  const gatewayId = storedId ?? options.gatewayId ?? reservation?.gatewayId ?? randomUUID();
  // What the journal holds and SQLite does not becomes pending, as if just appended.
  const readings = new JournaledReadings(path, meta(TRANSFER_MARKER_KEY), meta(ORIGIN_KEY));
  const pending = readings.pending;

  const floor = storedId === undefined ? (reservation?.reservedThrough ?? 0) : 0;
  const lastSeq = Math.max(
    Number(meta('last_seq') ?? 0),
    floor,
    (stmt.maxReadingSeq.get() as number | null) ?? 0,
    (stmt.maxEventSeq.get() as number | null) ?? 0,
    pending.maxSeq,
  );
  let ackedSeq = Math.min(Math.max(Number(meta('acked_seq') ?? 0), floor), lastSeq);
  // A fresh database (the old one was damaged) gets the journal's readings: they still have to reach the cloud.
  const firstPending = pending.minSeq;
  if (storedId === undefined && firstPending !== undefined) ackedSeq = Math.min(ackedSeq, firstPending - 1);
  db.transaction(() => {
    stmt.setMeta.run('gateway_id', gatewayId);
    stmt.setMeta.run('last_seq', String(lastSeq));
    stmt.setMeta.run('acked_seq', String(ackedSeq));
  }).immediate();
  return { gatewayId, readings, lastSeq, ackedSeq, reservation, reservationPath };
}
