/**
 * The routes a gateway's sync agent calls with its own credential: register (with a
 * claim code instead), heartbeat, config (ETag), calibrations. Ingest has its own file.
 */
import { randomUUID } from 'node:crypto';
import { Type } from 'typebox';
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
import { fails, noContent, ok } from '../api/answers.js';
import { CalibrationsResponse } from '../api/device-schemas.js';
import { notificationPolicy } from '../services/notification-policy.js';
import { perAddress } from './rate-limits.js';

const ConfigRequestHeaders = Type.Object({
  'if-none-match': Type.Optional(Type.String({ description: 'The ETag of the config the gateway holds: answered 304 while it is current.' })),
});

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
        operationId: 'registerGateway',
        tags: ['sync'],
        summary: "Trade a claim code for the gateway's id and credential (shown once)",
        description:
          'The gateway sends the claim code its owner created (POST /api/devices/claim-codes) and gets its id and credential: keep the credential, it is shown once. ' +
          'No token: the claim code is the proof. Rate limited per client address.',
        body: RegisterDeviceRequest,
        response: { 201: ok(RegisterDeviceResponse, 'Registered: the gateway id and its credential.'), ...fails('EASYGAS_CLAIM_CODE_INVALID') },
      },
    },
    async (request, reply) => {
      const code = normalizeClaimCode(request.body.code);
      if (code === undefined) throw apiError('EASYGAS_CLAIM_CODE_INVALID', {});
      const credential = newToken('egw');
      const gateway = await repo.gateways.registerWithClaimCode(
        sha256(code),
        // One id everywhere: the gateway's own (in its MQTT topics and status), unless another gateway has it.
        { id: request.body.gatewayId ?? randomUUID(), fallbackId: randomUUID(), name: request.body.name ?? 'EasyGas gateway', version: request.body.version ?? null, credentialHash: sha256(credential) },
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
      schema: {
        operationId: 'sendHeartbeat',
        tags: ['sync'],
        summary: 'I am alive: version, backlog, sensor health',
        description: 'Marks the gateway online (raising device_online after an outage) and records what it reports. The answer carries the watermark and config version to act on.',
        body: Heartbeat,
        response: { 200: ok(HeartbeatAck, "The cloud's watermark, config version and clock.") },
      },
    },
    async (request) => {
      const gateway = currentGateway(request);
      const now = clock.now();
      const outcome = await repo.gateways.heartbeat(gateway.id, request.body, now, notificationPolicy);
      if (outcome.cameOnline !== undefined) {
        metrics.presence.inc({ presence: 'online' });
        request.log.info({ gateway: gateway.id }, 'gateway back online');
      }
      return { ackedSeq: outcome.ackedSeq, configVersion: outcome.configVersion, serverTime: now };
    },
  );

  app.get(
    SYNC_PATHS.config,
    {
      onRequest: ctx.gatewayAuth,
      schema: {
        operationId: 'getGatewayConfig',
        tags: ['sync'],
        summary: 'Alert rules and calibrations for this gateway; send If-None-Match to get 304 while unchanged',
        description: 'The answer carries an ETag (the config version). Poll with If-None-Match: the cloud answers 304 with no body until a rule or calibration changes.',
        headers: ConfigRequestHeaders,
        response: {
          200: ok(DeviceConfig, 'The current config; its ETag names its version.', ['ETag', 'Cache-Control']),
          304: noContent('Unchanged since the ETag sent in If-None-Match.', ['ETag', 'Cache-Control']),
        },
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
        operationId: 'putCalibrations',
        tags: ['sync'],
        summary: 'Store calibrations measured on the gateway (the newer updatedAt wins)',
        description: "Per sensor, an entry replaces the cloud's only when its updatedAt is newer; the config version goes up when anything changed.",
        body: CalibrationUpload,
        response: { 200: ok(CalibrationsResponse, 'The config version after the upload and how many entries changed.') },
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
