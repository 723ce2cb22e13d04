/**
 * The sync module: what a gateway's sync agent calls. Register is public (the claim
 * code is the proof); heartbeat, config (ETag), calibrations and ingest sit in the
 * gateway scope (its credential). The paths are the protocol's (SYNC_PATHS), which
 * gateways in the field speak, so this module is registered without a prefix.
 */
import { Type } from 'typebox';
import {
  CalibrationUpload,
  DeviceConfig,
  Heartbeat,
  HeartbeatAck,
  RegisterDeviceRequest,
  RegisterDeviceResponse,
  IngestAck,
  IngestBatch,
  SYNC_PATHS,
  configEtag,
} from '../../../protocol/index.js';
import { currentGateway } from '../../auth/guards.js';
import { gatewayScope } from '../../auth/scopes.js';
import type { CloudApp } from '../../context.js';
import { fails, noContent, ok } from '../../api/answers.js';
import { CalibrationsResponse } from '../devices/schemas.js';
import { perAddress, perGateway } from '../../routes/rate-limits.js';
import { SyncService } from './service.js';

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

export async function syncModule(app: CloudApp): Promise<void> {
  const sync = new SyncService(app.cloud.repo, app.cloud.clock, app.cloud.settings.lateEventAfterMs);
  const limit = app.cloud.settings.authRateLimit;
  app.post(
    SYNC_PATHS.register,
    {
      config: { rateLimit: perAddress(limit, 'device-register') },
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
      const { gateway, credential } = await sync.register(request.body);
      request.log.info({ gateway: gateway.id, user: gateway.userId }, 'gateway registered');
      return reply.status(201).send({ gatewayId: gateway.id, credential });
    },
  );
  await app.register(gatewayScope((gatewayApp) => gatewayRoutes(gatewayApp, sync)));
}

function gatewayRoutes(app: CloudApp, sync: SyncService): void {
  const { clock, metrics } = app.cloud;
  app.post(
    SYNC_PATHS.heartbeat,
    {
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
      const outcome = await sync.heartbeat(gateway, request.body);
      if (outcome.cameOnline !== undefined) {
        metrics.presence.inc({ presence: 'online' });
        request.log.info({ gateway: gateway.id }, 'gateway back online');
      }
      return { ackedSeq: outcome.ackedSeq, configVersion: outcome.configVersion, serverTime: clock.now() };
    },
  );

  app.get(
    SYNC_PATHS.config,
    {
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
      const config = await sync.config(currentGateway(request));
      const etag = configEtag(config.version);
      void reply.header('etag', etag).header('cache-control', 'no-cache');
      if (etagMatches(request.headers['if-none-match'], etag)) return reply.status(304).send();
      return config;
    },
  );

  app.put(
    SYNC_PATHS.calibrations,
    {
      schema: {
        operationId: 'putCalibrations',
        tags: ['sync'],
        summary: 'Store calibrations measured on the gateway (the newer updatedAt wins)',
        description: "Per sensor, an entry replaces the cloud's only when its updatedAt is newer; the config version goes up when anything changed.",
        body: CalibrationUpload,
        response: { 200: ok(CalibrationsResponse, 'The config version after the upload and how many entries changed.') },
      },
    },
    async (request) => sync.putCalibrations(currentGateway(request), request.body),
  );

  app.post(
    SYNC_PATHS.ingest,
    {
      bodyLimit: app.cloud.settings.ingestBodyLimitBytes,
      config: { rateLimit: perGateway(app.cloud.settings.ingestRateLimit) },
      schema: {
        operationId: 'ingestBatch',
        tags: ['sync'],
        summary: 'Upload a batch of readings and events (JSON, optionally gzip); idempotent per (gateway, seq)',
        description:
          'The batch covers afterSeq < seq ≤ lastSeq completely. The answer ackedSeq is the highest seq below which the cloud holds everything: ' +
          'advance your durable cursor to it and resend from there. Send `Content-Encoding: gzip` to compress (5 MiB at most after decompression). ' +
          '429 carries Retry-After; 413 means send fewer records per batch; 503 (database unavailable) and 507 (the cloud\'s disk is full) store nothing ' +
          'and carry Retry-After: resend the same batch later. Rate limited per gateway.',
        body: IngestBatch,
        response: { 200: ok(IngestAck, 'The batch is stored (or was already): the watermark to advance to.'), ...fails('EASYGAS_STORAGE_FULL') },
      },
    },
    async (request) => {
      const outcome = await sync.ingest(currentGateway(request), request.body);
      metrics.ingestBatches.inc();
      metrics.ingestRecords.inc({ kind: 'reading' }, outcome.readingsStored);
      metrics.ingestRecords.inc({ kind: 'event' }, outcome.eventsStored);
      metrics.ingestDuplicates.inc({}, outcome.duplicates);
      for (const n of outcome.notifications) metrics.notifications.inc({ type: n.type });
      return { ackedSeq: outcome.ackedSeq, stored: outcome.stored, duplicates: outcome.duplicates };
    },
  );
}
