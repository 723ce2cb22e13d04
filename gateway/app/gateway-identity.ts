/**
 * The gateway's id, the same for the store (every record carries it), for MQTT (it
 * is in every topic and Home Assistant unique_id, so it must not change across
 * restarts) and for the cloud (provisioning sends it, the cloud adopts it): the
 * config's gateway.id, else the one the store keeps beside gateway.db, else the one
 * the cloud answered when provisioned before the first start, else a new one that
 * the store then keeps.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { credentialPath, readCredentialFile } from '../../cloud-sync/client/credential-file.js';
import { DB_FILE_NAME } from '../store/store-files.js';
import { readSeqReservation, seqReservationPath } from '../store/seq-reservation.js';

export function resolveGatewayId(configured: string | undefined, dataDir: string): string {
  if (configured !== undefined) return configured;
  const kept = readSeqReservation(seqReservationPath(join(dataDir, DB_FILE_NAME)))?.gatewayId;
  if (kept !== undefined) return kept;
  const provisioned = readCredentialFile(credentialPath(dataDir));
  return provisioned.ok ? provisioned.credential.gatewayId : randomUUID();
}
