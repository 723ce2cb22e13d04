/**
 * POST /api/sensors/data: a gateway's batch, stored in one transaction, answered
 * with the contiguous watermark. The gateway comes from the credential, never from
 * the body, so no gateway can write another's data.
 */
import { IngestAck, IngestBatch, SYNC_PATHS, checkBatch, describeIssues } from '../../protocol/index.js';
import { currentGateway } from '../auth/guards.js';
import type { CloudApp, CloudContext } from '../context.js';
import { apiError } from '../errors.js';
import { fails, ok } from '../api/answers.js';
import { notificationPolicy } from '../services/notification-policy.js';
import { perGateway } from './rate-limits.js';

export function ingestRoutes(app: CloudApp, ctx: CloudContext): void {
  const { repo, clock, settings, metrics } = ctx;
  app.post(
    SYNC_PATHS.ingest,
    {
      onRequest: ctx.gatewayAuth,
      bodyLimit: settings.ingestBodyLimitBytes,
      config: { rateLimit: perGateway(settings.ingestRateLimit) },
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
      const gateway = currentGateway(request);
      const issues = checkBatch(request.body);
      if (issues.length > 0) throw apiError('EASYGAS_VALIDATION', { summary: `invalid batch: ${describeIssues(issues)}` }, { issues });
      const outcome = await repo.ingest.ingest(gateway.id, request.body, clock.now(), notificationPolicy);
      metrics.ingestBatches.inc();
      metrics.ingestRecords.inc({ kind: 'reading' }, outcome.readingsStored);
      metrics.ingestRecords.inc({ kind: 'event' }, outcome.eventsStored);
      metrics.ingestDuplicates.inc({}, outcome.duplicates);
      for (const n of outcome.notifications) metrics.notifications.inc({ type: n.type });
      return { ackedSeq: outcome.ackedSeq, stored: outcome.stored, duplicates: outcome.duplicates };
    },
  );
}
