/** What every route needs, built once by `build()` and passed to each area's routes. */
// Brings in @fastify/swagger's and @fastify/rate-limit's additions to fastify's types (tags, hide, swagger(), rateLimit).
import type { PaymentProvider } from './modules/orders/payment.js';
import type {} from '@fastify/rate-limit';
import type {} from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { AuthHook } from './auth/guards.js';
import type { Sessions } from './auth/sessions.js';
import type { ServerClock } from './clock.js';
import type { EventBus } from './events/event-bus.js';
import type { JobRunner } from './events/job-runner.js';
import type { OutboxWorker } from './events/outbox-worker.js';
import type { CloudMetrics } from './metrics.js';
import type { Settings } from './options.js';
import type { Notifier } from './services/notifier.js';
import type { PresenceSweeper } from './services/presence-sweeper.js';
import type { RetentionSweeper } from './services/retention-sweeper.js';
import type { Repository } from './storage/repository.js';

export type CloudApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

export interface CloudContext {
  readonly repo: Repository;
  readonly clock: ServerClock;
  readonly sessions: Sessions;
  readonly metrics: CloudMetrics;
  readonly notifier: Notifier;
  readonly sweeper: PresenceSweeper;
  readonly retention: RetentionSweeper;
  /** Domain events after commit, from every API process on the database (events/). */
  readonly events: EventBus;
  readonly outbox: OutboxWorker;
  readonly jobs: JobRunner;
  readonly settings: Settings;
  /** By name: the providers whose webhooks are taken. */
  readonly payments: ReadonlyMap<string, PaymentProvider>;
  /** The VAPID public key browsers subscribe with; undefined when the server sends no web push. */
  readonly pushPublicKey: string | undefined;
  /** The dashboard's public address (no trailing slash), for links in messages. */
  readonly publicUrl: string;
  readonly userAuth: AuthHook;
  readonly gatewayAuth: AuthHook;
  /** Set when the server starts closing: new requests get 503 EASYGAS_SHUTTING_DOWN. */
  readonly lifecycle: { stopping: boolean };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route never reads the database, so it never answers EASYGAS_DB_UNAVAILABLE. */
    noDatabase?: boolean;
    /** The route answers its own 503 body (GET /healthz), during shutdown too. */
    ownUnavailable?: boolean;
  }
  interface FastifyInstance {
    /** The cloud's services, for tests and the composition root. */
    cloud: CloudContext;
  }
}
