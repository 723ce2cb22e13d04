/**
 * The gateway's id, the same for the store (every record carries it) and for MQTT
 * (it is in every topic and Home Assistant unique_id, so it must not change across
 * restarts): the config's gateway.id, else the one the store keeps beside
 * gateway.db, else a new one that the store then keeps.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DB_FILE_NAME } from '../store/store-files.js';
import { readSeqReservation, seqReservationPath } from '../store/seq-reservation.js';

export function resolveGatewayId(configured: string | undefined, dataDir: string): string {
  if (configured !== undefined) return configured;
  return readSeqReservation(seqReservationPath(join(dataDir, DB_FILE_NAME)))?.gatewayId ?? randomUUID();
}
