import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyRequest } from 'fastify';
import { toApiError } from './error-handler.js';
import { ApiError, apiError } from './errors.js';
import { GatewayGoneError } from './storage/repository.js';

const request = { id: 'req-7', headers: { 'content-type': 'text/csv' }, routeOptions: { bodyLimit: 1024 } } as unknown as FastifyRequest;
const fastifyError = (code: string, statusCode: number, message = 'x') => Object.assign(new Error(message), { code, statusCode });

describe('error mapping', () => {
  it('keeps our own errors as they are', () => {
    const own = apiError('EASYGAS_NOT_FOUND', { what: 'device', id: 'd1' });
    assert.equal(toApiError(own, request), own);
    assert.equal(own.message, 'no device with id d1 in your account');
  });

  it('turns fastify’s and the parser’s errors into catalogue codes with what to do', () => {
    assert.deepEqual(pick(toApiError(fastifyError('FST_ERR_CTP_BODY_TOO_LARGE', 413), request)), [413, 'EASYGAS_BODY_TOO_LARGE', 'the body is larger than 1024 bytes (after decompression): send smaller batches']);
    assert.deepEqual(pick(toApiError(fastifyError('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415), request)), [415, 'EASYGAS_UNSUPPORTED_MEDIA_TYPE', 'Content-Type "text/csv" is not supported here: send application/json']);
    assert.deepEqual(pick(toApiError(fastifyError('FST_ERR_CTP_INVALID_CONTENT_LENGTH', 400), request)).slice(0, 2), [400, 'EASYGAS_BAD_CONTENT_LENGTH']);
    assert.deepEqual(pick(toApiError(fastifyError('FST_ERR_SOMETHING', 405, 'method not allowed'), request)), [405, 'EASYGAS_BAD_REQUEST', 'method not allowed']);
  });

  it('answers a deleted gateway as an invalid credential and a lost database as 503', () => {
    assert.equal(toApiError(new GatewayGoneError('g'), request).code, 'EASYGAS_GATEWAY_CREDENTIAL_INVALID');
    assert.deepEqual(pick(toApiError(fastifyError('ECONNREFUSED', 0), request)).slice(0, 2), [503, 'EASYGAS_DB_UNAVAILABLE']);
    assert.deepEqual(pick(toApiError(new TypeError('The database connection is not open'), request)).slice(0, 2), [503, 'EASYGAS_DB_UNAVAILABLE']);
  });

  it('hides a bug’s text behind the request id', () => {
    const bug = toApiError(new TypeError('cannot read properties of undefined (secret stuff)'), request);
    assert.ok(bug instanceof ApiError);
    assert.deepEqual(pick(bug), [500, 'EASYGAS_INTERNAL', 'internal error (request req-7): the server log has the details']);
  });
});

function pick(error: ApiError): [number, string, string] {
  return [error.statusCode, error.code, error.message];
}
