/**
 * The JSON body parser: JSON.parse with messages that say where the syntax broke,
 * and no "__proto__" or "prototype" keys (prototype poisoning), checked only when
 * the text could contain one so a 5 MB batch parses at full speed.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { apiError } from './errors.js';

const SUSPECT = /"(?:__proto__|prototype)"\s*:/;

export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw apiError('EASYGAS_INVALID_JSON', { reason: error instanceof Error ? error.message.slice(0, 200) : 'unparsable' });
  }
  if (SUSPECT.test(text)) {
    JSON.parse(text, (key, v: unknown) => {
      if (key === '__proto__' || key === 'prototype') throw apiError('EASYGAS_INVALID_JSON', { reason: `the key "${key}" is not allowed` });
      return v;
    });
  }
  return value;
}

/** JSON is the only body the API takes: anything else (text/plain included) is answered 415. */
export function installJsonParser(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request: FastifyRequest, body: string | Buffer, done) => {
    try {
      done(null, parseJsonBody(typeof body === 'string' ? body : body.toString('utf8')));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}
