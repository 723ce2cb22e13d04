/**
 * build(): the cloud API as a fastify instance, without listening (fastify's
 * build/listen split: tests inject requests, main.ts listens). Storage is chosen
 * by URL — a file path is SQLite, postgres://… is PostgreSQL — or passed in open.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { gatewayAuth, userAuth } from './auth/guards.js';
import { Sessions } from './auth/sessions.js';
import { systemClock } from './clock.js';
import type { CloudApp, CloudContext } from './context.js';
import { swaggerOptions } from './docs/openapi-document.js';
import { RouteAnswers } from './docs/route-answers.js';
import { apiError } from './errors.js';
import { background, openEventBus } from './events/background.js';
import { emittingRepository } from './events/emitting-repository.js';
import { errorHandler, frameworkErrorHandler, notFoundHandler, RETRY_UNAVAILABLE_AFTER_S } from './error-handler.js';
import { decompressRequest } from './gzip.js';
import { installJsonParser } from './json-body.js';
import { CloudMetrics } from './metrics.js';
import { liveRoutes } from './modules/live/live-routes.js';
import { resolveSettings, type CloudOptions } from './options.js';
import { registerModules } from './modules/index.js';
import { clockedStore } from './routes/rate-limits.js';
import { createChannels, loadChannelSettings } from './modules/notifications/channels/index.js';
import { logNotifier } from './services/notifier.js';
import { PresenceSweeper } from './services/presence-sweeper.js';
import { RetentionSweeper } from './services/retention-sweeper.js';
import { instrumentRepository } from './storage/instrumented.js';
import { openRepository } from './storage/open-repository.js';
import type { Repository } from './storage/repository.js';
import { validatorCompiler } from './validation.js';
import { webApp } from './web-app.js';

/** An incoming X-Request-Id is kept (for tracing across a proxy) when it looks like an id. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Only these methods carry a body fastify reads: a Content-Encoding on a GET means nothing. */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export async function build(options: CloudOptions): Promise<FastifyInstance> {
  const clock = options.clock ?? systemClock();
  const ownsRepository = typeof options.db === 'string';
  const opened =
    typeof options.db === 'string'
      ? await openRepository(options.db, { ...(options.pgSchema === undefined ? {} : { schema: options.pgSchema }), ...(options.pools === undefined ? {} : { pools: options.pools }) })
      : options.db;
  try {
    return await assemble({ ...options, clock }, opened, ownsRepository);
  } catch (error) {
    if (ownsRepository) await opened.close().catch(() => undefined);
    throw error;
  }
}

async function assemble(options: CloudOptions, opened: Repository, ownsRepository: boolean): Promise<FastifyInstance> {
  const clock = options.clock ?? systemClock();
  const settings = resolveSettings(options);
  const logger: FastifyBaseLogger = options.logger ?? pino({ level: 'silent' });
  const metrics = new CloudMetrics();
  const bus = openEventBus(options.db, options.pgSchema, clock, logger);
  const repo = emittingRepository(instrumentRepository(opened, metrics), bus);
  const secret = options.jwtSecret ?? (await repo.settings.secret('jwt-hs256', () => randomBytes(32).toString('base64url')));
  const sessions = new Sessions(repo, clock, secret, settings);
  const notifier = options.notifier ?? logNotifier(logger.child({ component: 'notifier' }));
  const sweeper = new PresenceSweeper(
    repo,
    clock,
    { offlineAfterMs: settings.offlineAfterMs },
    metrics,
    logger.child({ component: 'presence' }),
  );
  const retention = new RetentionSweeper(
    repo,
    clock,
    { rawRetentionMs: settings.rawRetentionMs },
    metrics,
    logger.child({ component: 'retention' }),
  );
  // Without channels given, webhooks only (they need no server settings); the composition root passes the configured ones.
  const ownsChannels = options.channels === undefined;
  const channels = options.channels ?? createChannels(loadChannelSettings({ env: {} }), { now: () => clock.now() });
  const publicUrl = (options.publicUrl ?? 'http://localhost:8080').replace(/\/+$/, '');
  const work = background({ repo, bus, clock, settings, notifier, channels, publicUrl, sweeper, retention, metrics, logger }, options.outbox);

  const app: CloudApp = Fastify({
    loggerInstance: logger,
    bodyLimit: settings.bodyLimitBytes,
    trustProxy: options.trustProxy ?? false,
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // Requests that reach a closing server get the catalogue's 503 (the onRequest hook below), not fastify's bare one.
    return503OnClosing: false,
    frameworkErrors: frameworkErrorHandler,
    // A cloud sensor id is "<uuid>:<slug up to 64>": longer than fastify's default of 100.
    routerOptions: { maxParamLength: 200 },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const ctx: CloudContext = {
    repo,
    clock,
    sessions,
    metrics,
    notifier,
    sweeper,
    retention,
    events: bus,
    outbox: work.outbox,
    jobs: work.jobs,
    settings,
    payments: new Map((options.paymentProviders ?? []).map((p) => [p.name, p])),
    publicUrl,
    pushPublicKey: channels.pushPublicKey,
    userAuth: userAuth(repo, sessions),
    gatewayAuth: gatewayAuth(repo),
    lifecycle: { stopping: false },
  };
  app.decorate('cloud', ctx);
  app.decorateRequest('actor', null);
  app.decorateRequest('authGateway', null);

  app.setValidatorCompiler(validatorCompiler);
  app.setErrorHandler(errorHandler);
  const web = options.webRoot === undefined ? undefined : webApp(app, options.webRoot);
  app.setNotFoundHandler(web === undefined ? notFoundHandler : web.notFound(notFoundHandler));
  installJsonParser(app);
  app.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    if (ctx.lifecycle.stopping && request.routeOptions.config.ownUnavailable !== true) {
      void reply.header('connection', 'close');
      done(apiError('EASYGAS_SHUTTING_DOWN', {}, { headers: { 'retry-after': String(RETRY_UNAVAILABLE_AFTER_S) } }));
      return;
    }
    done();
  });
  app.addHook('preClose', (done) => {
    ctx.lifecycle.stopping = true;
    done();
  });
  app.addHook('preParsing', (request, _reply, payload, done) => {
    if (!BODY_METHODS.has(request.method)) {
      done(null, payload);
      return;
    }
    try {
      done(null, decompressRequest(request, payload));
    } catch (error) {
      done(error instanceof Error ? error : new Error(String(error)));
    }
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    if (reply.statusCode === 429) metrics.rateLimited.inc({ route });
  });

  const answers = new RouteAnswers();
  app.addHook('onRoute', answers.hook);
  await app.register(swagger, swaggerOptions(answers));
  await app.register(rateLimit, {
    global: false,
    store: clockedStore(clock),
    errorResponseBuilder: (_request, context) =>
      apiError('EASYGAS_RATE_LIMITED', { after: context.after }, { headers: { 'retry-after': String(Math.max(1, Math.ceil(context.ttl / 1000))) } }),
  });

  await registerModules(app);
  liveRoutes(app, ctx, options.live);

  app.addHook('onReady', async () => {
    await bus.ready();
    work.start();
  });
  app.addHook('onClose', async () => {
    await work.stop();
    if (ownsChannels) await channels.close();
    if (ownsRepository) await opened.close();
  });
  return app;
}
