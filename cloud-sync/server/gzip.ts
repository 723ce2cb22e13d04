/**
 * Request bodies with Content-Encoding: gzip. Decompression stops — and the request
 * is answered 413 — the moment the output passes the route's body limit, so a gzip
 * bomb costs a few megabytes and milliseconds, never the server's memory.
 */
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { FastifyRequest } from 'fastify';
import { apiError } from './errors.js';

/** What fastify's body reader reads: it checks Content-Length against receivedEncodedLength. */
export type DecodedStream = Readable & { receivedEncodedLength?: number };

export function decompressRequest(request: FastifyRequest, payload: Readable): DecodedStream {
  const header = request.headers['content-encoding'];
  const encoding = (Array.isArray(header) ? header.join(',') : (header ?? '')).trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return payload;
  if (encoding !== 'gzip' && encoding !== 'x-gzip') {
    throw apiError('EASYGAS_UNSUPPORTED_ENCODING', { encoding: JSON.stringify(encoding.slice(0, 40)) });
  }
  const limit = request.routeOptions.bodyLimit ?? 1_048_576;
  const gunzip = createGunzip();
  let decodedBytes = 0;
  const capped = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      decodedBytes += chunk.length;
      if (decodedBytes > limit) {
        done(apiError('EASYGAS_BODY_TOO_LARGE', { limit }));
        gunzip.destroy();
        return;
      }
      done(null, chunk);
    },
  });
  const stream: DecodedStream = capped;
  stream.receivedEncodedLength = 0;
  payload.on('data', (chunk: Buffer | string) => {
    stream.receivedEncodedLength = (stream.receivedEncodedLength ?? 0) + (typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length);
  });
  payload.on('error', (error: Error) => capped.destroy(error));
  gunzip.on('error', (error: Error) => capped.destroy(apiError('EASYGAS_BAD_GZIP', { reason: error.message }, { cause: error })));
  payload.pipe(gunzip).pipe(capped);
  return stream;
}
