/** The conformance checker catches each way an answer can break the document. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { noContent, ok } from '../api/answers.js';
import { apiError } from '../errors.js';
import { startHarness } from './harness.js';

/** An undeclared status, which the typed reply would refuse to compile. */
const teapot = (reply: unknown): FastifyReply => (reply as FastifyReply).status(418);

describe('the OpenAPI conformance checker', () => {
  it('reports an undeclared status, a body off its schema, a code off its list, a missing header and a body on a 204', async () => {
    const h = await startHarness({}, { beforeReady: (app) => {
      app.get(
        '/lies',
        {
          config: { noDatabase: true },
          schema: {
            operationId: 'lie',
            tags: ['operations'],
            summary: 'Answers what the document does not say',
            description: 'A route that breaks its own declaration on purpose.',
            querystring: Type.Object({ how: Type.String() }),
            response: { 200: ok(Type.Object({ n: Type.Integer() }), 'A number.', ['ETag']), 204: noContent('Nothing.') },
          },
        },
        async (request, reply) => {
          const how = (request.query as { how: string }).how;
          if (how === 'teapot') return teapot(reply).send({ statusCode: 418, code: 'X', error: 'I', message: 'm' });
          if (how === 'code') throw apiError('EASYGAS_CLAIM_CODE_INVALID', {});
          if (how === 'shape') return reply.header('etag', '"1"').type('application/json').serializer((p) => String(p)).send('{"n":"seven"}');
          if (how === 'header') return reply.send({ n: 7 });
          if (how === 'text') return reply.header('etag', '"1"').type('text/plain').serializer((p) => String(p)).send('seven');
          return reply.header('etag', '"1"').send({ n: 7 });
        },
      );
    } });
    for (const how of ['teapot', 'code', 'shape', 'header', 'text', 'fine']) await h.app.inject({ method: 'GET', url: `/lies?how=${how}` });
    const problems = [...h.conformance.problems];
    h.conformance.problems.length = 0;
    await h.close();
    assert.deepEqual(problems.map((p) => p.replace(/:.*$/s, '')), [
      'GET /lies → 418',
      'GET /lies → 400',
      'GET /lies → 200',
      'GET /lies → 200',
      'GET /lies → 200',
    ]);
    assert.match(problems[0] ?? '', /status not declared/);
    assert.match(problems[1] ?? '', /EASYGAS_CLAIM_CODE_INVALID is not among its x-error-codes/);
    assert.match(problems[2] ?? '', /does not fit the declared schema: \/n must be integer/);
    assert.match(problems[3] ?? '', /required header ETag is missing/);
    assert.match(problems[4] ?? '', /Content-Type text\/plain is not among application\/json/);
  });

  it('fails the test that provoked a disagreement when the harness closes', async () => {
    const h = await startHarness({}, { beforeReady: (app) => {
      app.get(
        '/teapot',
        {
          config: { noDatabase: true },
          schema: { operationId: 'teapot', tags: ['operations'], summary: 'A teapot', description: 'Answers 418, which it does not declare.', response: { 200: ok(Type.String(), 'Never.') } },
        },
        async (_request, reply) => teapot(reply).send({ statusCode: 418, code: 'X', error: 'I', message: 'm' }),
      );
    } });
    await h.app.inject({ method: 'GET', url: '/teapot' });
    await assert.rejects(h.close(), /GET \/teapot → 418: status not declared/);
  });
});
