/** Operations: /healthz (checks the database), /metrics (Prometheus), /docs (OpenAPI). */
import { Type } from 'typebox';
import type { CloudApp } from '../../context.js';
import { ok } from '../../api/answers.js';
import { renderOpenApiPage } from '../../docs/openapi-page.js';

const Health = Type.Object(
  {
    status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable'), Type.Literal('stopping')], {
      description: 'ok: serving; unavailable: the database does not answer; stopping: this server is shutting down (send traffic elsewhere).',
    }),
    database: Type.Object({ dialect: Type.String(), ok: Type.Boolean(), latencyMs: Type.Number(), error: Type.Optional(Type.String()) }),
  },
  { title: 'Health' },
);

/** Public, no prefix: load balancers and Prometheus expect these paths. */
export function operationsModule(app: CloudApp): Promise<void> {
  const ctx = app.cloud;
  app.get(
    '/healthz',
    {
      config: { ownUnavailable: true },
      schema: {
        operationId: 'getHealth',
        tags: ['operations'],
        summary: 'Liveness and database reachability (503 when the database is down)',
        description: 'For load balancers and monitors: pings the database. Answers 503 when it does not answer or while this server shuts down.',
        response: {
          200: ok(Health, 'Serving, and the database answers.'),
          503: ok(Health, 'Not serving: the database does not answer (`unavailable`), or this server is shutting down (`stopping`).'),
        },
      },
    },
    async (_request, reply) => {
      const start = performance.now();
      try {
        await ctx.repo.ping();
        const database = { dialect: ctx.repo.dialect, ok: true, latencyMs: performance.now() - start };
        if (ctx.lifecycle.stopping) return reply.status(503).send({ status: 'stopping' as const, database });
        return { status: 'ok' as const, database };
      } catch (error) {
        return reply.status(503).send({
          status: ctx.lifecycle.stopping ? ('stopping' as const) : ('unavailable' as const),
          database: { dialect: ctx.repo.dialect, ok: false, latencyMs: performance.now() - start, error: error instanceof Error ? error.message : String(error) },
        });
      }
    },
  );

  app.get(
    '/metrics',
    {
      config: { noDatabase: true },
      schema: {
        operationId: 'getMetrics',
        tags: ['operations'],
        summary: 'Prometheus metrics (text format 0.0.4)',
        description: 'Request counts and durations by route and status, ingest and notification counters, database latency, memory. Serve it to the internal network only.',
        response: { 200: { description: 'The metrics in the Prometheus text format 0.0.4.', content: { 'text/plain': { schema: Type.String() } } } },
      },
    },
    async (_request, reply) => {
      return reply.header('content-type', 'text/plain; version=0.0.4; charset=utf-8').send(ctx.metrics.render());
    },
  );

  app.get('/docs/openapi.json', { schema: { hide: true } }, (_request, reply) => reply.send(app.swagger()));

  app.get('/docs', { schema: { hide: true } }, async (_request, reply) => {
    return reply.header('content-type', 'text/html; charset=utf-8').send(renderOpenApiPage(app.swagger() as Parameters<typeof renderOpenApiPage>[0]));
  });
  return Promise.resolve();
}
