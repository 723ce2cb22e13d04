/**
 * The gateway's side of sync: registration by claim code, heartbeats, config pulls,
 * calibrations and ingest. The gateway is always the one its credential names,
 * never one from the body, so no gateway can write another's data.
 */
import { randomUUID } from 'node:crypto';
import {
  checkBatch,
  checkCalibration,
  describeIssues,
  normalizeClaimCode,
  type CalibrationUpload,
  type Heartbeat,
  type IngestBatch,
  type RegisterDeviceRequest,
} from '../../../protocol/index.js';
import { newToken, sha256 } from '../../auth/secrets.js';
import type { ServerClock } from '../../clock.js';
import { apiError } from '../../errors.js';
import { notificationPolicy } from '../../services/notification-policy.js';
import type { AuthenticatedGateway, HeartbeatOutcome, IngestOutcome, Repository } from '../../storage/repository.js';
import type { DeviceConfigRecord, Gateway } from '../../storage/types.js';

/** The slice of storage this module reads and writes. */
export type SyncStorage = Pick<Repository, 'gateways' | 'alerts' | 'ingest'>;

export class SyncService {
  constructor(
    private readonly repo: SyncStorage,
    private readonly clock: ServerClock,
    /** An event older than this on arrival is news, not an alert (EASYGAS_LATE_EVENT_HOURS). */
    private readonly lateAfterMs?: number,
  ) {}

  /** Trades a claim code for a new gateway and its credential (returned once). */
  async register(request: RegisterDeviceRequest): Promise<{ gateway: Gateway; credential: string }> {
    const code = normalizeClaimCode(request.code);
    if (code === undefined) throw apiError('EASYGAS_CLAIM_CODE_INVALID', {});
    const credential = newToken('egw');
    const gateway = await this.repo.gateways.registerWithClaimCode(
      sha256(code),
      // One id everywhere: the gateway's own (in its MQTT topics and status), unless another gateway has it.
      { id: request.gatewayId ?? randomUUID(), fallbackId: randomUUID(), name: request.name ?? 'EasyGas gateway', version: request.version ?? null, credentialHash: sha256(credential) },
      this.clock.now(),
    );
    if (gateway === undefined) throw apiError('EASYGAS_CLAIM_CODE_INVALID', {});
    return { gateway, credential };
  }

  heartbeat(gateway: AuthenticatedGateway, heartbeat: Heartbeat): Promise<HeartbeatOutcome> {
    return this.repo.gateways.heartbeat(gateway.id, heartbeat, this.clock.now(), notificationPolicy);
  }

  config(gateway: AuthenticatedGateway): Promise<DeviceConfigRecord> {
    return this.repo.alerts.deviceConfig(gateway.id);
  }

  putCalibrations(gateway: AuthenticatedGateway, upload: CalibrationUpload): Promise<{ version: number; changed: number }> {
    const issues = Object.entries(upload.calibrations).flatMap(([sensorId, entry]) => checkCalibration(entry.calibration, ['calibrations', sensorId, 'calibration']));
    if (issues.length > 0) throw apiError('EASYGAS_VALIDATION', { summary: `invalid body: ${describeIssues(issues)}` }, { issues });
    return this.repo.alerts.putCalibrations(gateway.id, upload.calibrations, this.clock.now());
  }

  /** One transaction; idempotent per (gateway, seq). */
  ingest(gateway: AuthenticatedGateway, batch: IngestBatch): Promise<IngestOutcome> {
    const issues = checkBatch(batch);
    if (issues.length > 0) throw apiError('EASYGAS_VALIDATION', { summary: `invalid batch: ${describeIssues(issues)}` }, { issues });
    return this.repo.ingest.ingest(gateway.id, batch, this.clock.now(), notificationPolicy, this.lateAfterMs === undefined ? {} : { lateAfterMs: this.lateAfterMs });
  }
}
