/**
 * The routes a gateway's sync agent calls with its own credential: register (with a
 * claim code instead), heartbeat, config (ETag), calibrations. Ingest has its own file.
 */
import { randomUUID } from 'node:crypto';
import {
  CalibrationUpload,
  DeviceConfig,
  Heartbeat,
  HeartbeatAck,
  RegisterDeviceRequest,
  RegisterDeviceResponse,
  SYNC_PATHS,
  checkCalibration,
  configEtag,
  describeIssues,
  normalizeClaimCode,
} from '../../protocol/index.js';
import { currentGateway } from '../auth/guards.js';
import { newToken, sha256 } from '../auth/secrets.js';
import type { CloudApp, CloudContext } from '../context.js';
import { apiError } from '../errors.js';
import { Empty, errors } from '../api/common.js';
import { CalibrationsResponse } from '../api/device-schemas.js';
import { notificationPolicy } from '../services/notification-policy.js';
import { deliverAll } from '../services/notifier.js';
import { perAddress } from './rate-limits.js';

const security = [{ gateway: [] }];

/** True when an If-None-Match header names this ETag (or is "*"). */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((candidate) => {
    const tag = candidate.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });
}

export function gatewayRoutes(app: CloudApp, ctx: CloudContext): void {
  const { repo, clock, settings, metrics } = ctx;

  app.post(
    SYNC_PATHS.register,
    {
      config: { rateLimit: perAddress(settings.authRateLimit, 'device-register') },
      schema: {
        tags: ['sync'],
        summary: "Trade a claim code for the gateway's id and credential (shown once)",
        body: RegisterDeviceRequest,
        response: { 201: RegisterDeviceResponse, ...errors(400, 429) },
      },
    },
    async (request, reply) => {
      const code = normalizeClaimCode(request.body.code);
      if (code === undefined) throw apiError('EASYGAS_CLAIM_CODE_INVALID', {});
      const credential = newToken('egw');
      const gateway = await repo.gateways.registerWithClaimCode(
        sha256(code),
        { id: randomUUID(), name: request.body.name ?? 'EasyGas gateway', version: request.body.version ?? null, credentialHash: sha256(credential) },
        clock.now(),
      );
      if (gateway === undefined) throw apiError('EASYGAS_CLAIM_CODE_INVALID', {});
      request.log.info({ gateway: gateway.id, user: gateway.userId }, 'gateway registered');
      return reply.status(201).send({ gatewayId: gateway.id, credential });
    },
  );

  app.post(
    SYNC_PATHS.heartbeat,
    {
      onRequest: ctx.gatewayAuth,
      schema: { tags: ['sync'], summary: 'I am alive: version, backlog, sensor health', security, body: Heartbeat, response: { 200: HeartbeatAck, ...errors(400, 401) } },
    },
    async (request) => {
      const gateway = currentGateway(request);
      const now = clock.now();
      const outcome = await repo.gateways.heartbeat(gateway.id, request.body, now, notificationPolicy);
      if (outcome.cameOnline !== undefined) {
        metrics.presence.inc({ presence: 'online' });
        request.log.info({ gateway: gateway.id }, 'gateway back online');
        deliverAll(ctx.notifier, outcome.cameOnline.notifications, request.log);
      }
      return { ackedSeq: outcome.ackedSeq, configVersion: outcome.configVersion, serverTime: now };
    },
  );

  app.get(
    SYNC_PATHS.config,
    {
      onRequest: ctx.gatewayAuth,
      schema: {
        tags: ['sync'],
        summary: 'Alert rules and calibrations for this gateway; send If-None-Match to get 304 while unchanged',
        security,
        response: { 200: DeviceConfig, 304: Empty, ...errors(401) },
      },
    },
    async (request, reply) => {
      const config = await repo.alerts.deviceConfig(currentGateway(request).id);
      const etag = configEtag(config.version);
      void reply.header('etag', etag).header('cache-control', 'no-cache');
      if (etagMatches(request.headers['if-none-match'], etag)) return reply.status(304).send();
      return config;
    },
  );

  app.put(
    SYNC_PATHS.calibrations,
    {
      onRequest: ctx.gatewayAuth,
      schema: {
        tags: ['sync'],
        summary: 'Store calibrations measured on the gateway (the newer updatedAt wins)',
        security,
        body: CalibrationUpload,
        response: { 200: CalibrationsResponse, ...errors(400, 401) },
      },
    },
    async (request) => {
      const issues = Object.entries(request.body.calibrations).flatMap(([sensorId, entry]) =>
        checkCalibration(entry.calibration, ['calibrations', sensorId, 'calibration']),
      );
      if (issues.length > 0) throw apiError('EASYGAS_VALIDATION', { summary: `invalid body: ${describeIssues(issues)}` }, { issues });
      return repo.alerts.putCalibrations(currentGateway(request).id, request.body.calibrations, clock.now());
    },
  );
}
