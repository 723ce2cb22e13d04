/** Operations: /healthz (checks the database), /metrics (Prometheus), /docs (OpenAPI). */
import { Type } from 'typebox';
import type { CloudApp, CloudContext } from '../context.js';
import { renderOpenApiPage } from '../docs/openapi-page.js';

const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  database: Type.Object({ dialect: Type.String(), ok: Type.Boolean(), latencyMs: Type.Number(), error: Type.Optional(Type.String()) }),
});

export function opsRoutes(app: CloudApp, ctx: CloudContext): void {
  app.get(
    '/healthz',
    { schema: { tags: ['operations'], summary: 'Liveness and database reachability (503 when the database is down)', response: { 200: Health, 503: Health } } },
    async (_request, reply) => {
      const start = performance.now();
      try {
        await ctx.repo.ping();
        return { status: 'ok' as const, database: { dialect: ctx.repo.dialect, ok: true, latencyMs: performance.now() - start } };
      } catch (error) {
        return reply.status(503).send({
          status: 'unavailable' as const,
          database: { dialect: ctx.repo.dialect, ok: false, latencyMs: performance.now() - start, error: error instanceof Error ? error.message : String(error) },
        });
      }
    },
  );

  app.get('/metrics', { schema: { tags: ['operations'], summary: 'Prometheus metrics (text format 0.0.4)', hide: false } }, async (_request, reply) => {
    return reply.header('content-type', 'text/plain; version=0.0.4; charset=utf-8').send(ctx.metrics.render());
  });

  app.get('/docs/openapi.json', { schema: { hide: true } }, (_request, reply) => reply.send(app.swagger()));

  app.get('/docs', { schema: { hide: true } }, async (_request, reply) => {
    return reply.header('content-type', 'text/html; charset=utf-8').send(renderOpenApiPage(app.swagger() as Parameters<typeof renderOpenApiPage>[0]));
  });
}
