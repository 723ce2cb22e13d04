/**
 * Fastify's validator compiler, built on the protocol's validator: TypeBox's
 * compiled check on the happy path, precise issues on failure, and no silent
 * coercion of bodies (a string "50" is not a number). Query strings and path
 * parameters are converted first ("7" → 7), as they can only be text.
 */
import type { FastifySchemaCompiler } from 'fastify';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { describeIssues, validator } from '../protocol/index.js';
import { apiError } from './errors.js';

const PART_PREFIX: Readonly<Record<string, readonly string[]>> = { body: [], querystring: ['query'], params: ['params'], headers: ['headers'] };
const PART_NAME: Readonly<Record<string, string>> = { body: 'body', querystring: 'query string', params: 'path', headers: 'headers' };

export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const part = httpPart ?? 'body';
  const check = validator(schema);
  const convert = part !== 'body';
  return (data: unknown) => {
    const value = convert ? Value.Convert(schema, data) : data;
    const parsed = check.parse(value, PART_PREFIX[part] ?? []);
    if (parsed.ok) return { value: parsed.value };
    return { error: apiError('EASYGAS_VALIDATION', { summary: `invalid ${PART_NAME[part] ?? part}: ${describeIssues(parsed.issues)}` }, { issues: parsed.issues }) };
  };
};
