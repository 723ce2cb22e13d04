/**
 * Request schemas of the control API, in zod, and the compilers that make Fastify
 * validate with them. Zod is already in the daemon (the config schema); Fastify's
 * default compilers would load Ajv and fast-json-stringify — some 240 modules,
 * several MB of a Pi's memory — for a handful of ids and query numbers.
 */
import type { FastifyServerOptions } from 'fastify';
import { z } from 'zod';

/** `:id` of a sensor route. */
export const idParams = z.object({ id: z.string().min(1) });

/** A query-string integer: the text `?limit=50` carries, coerced and range-checked, with plain messages. */
export function queryInteger(min: number, max?: number): z.ZodOptional<z.ZodCoercedNumber> {
  const n = z.coerce
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(min, { error: `must be at least ${min}` });
  return (max === undefined ? n : n.max(max, { error: `must be at most ${max}` })).optional();
}

/** A 400 whose message names the part and path: `querystring.limit: must be at least 1`. */
class RequestValidationError extends Error {
  readonly validation: readonly z.core.$ZodIssue[];
  constructor(part: string, issues: readonly z.core.$ZodIssue[]) {
    super(issues.map((i) => `${[part, ...i.path.map(String)].join('.')}: ${i.message}`).join('; '));
    this.validation = issues;
  }
}

function zodValidator({ schema, httpPart, method, url }: { schema: unknown; httpPart?: string; method?: string; url?: string }) {
  if (!(schema instanceof z.ZodType)) throw new Error(`${method ?? ''} ${url ?? ''}: a control API route schema must be a zod schema (gateway/api/route-schemas.ts)`);
  const part = httpPart ?? 'request';
  return (data: unknown): { value: unknown } | { error: Error } => {
    const result = schema.safeParse(data);
    return result.success ? { value: result.data } : { error: new RequestValidationError(part, result.error.issues) };
  };
}

type SchemaController = NonNullable<FastifyServerOptions['schemaController']>;

/**
 * For `Fastify({ schemaController })`: zod validates requests; replies are plain
 * JSON.stringify (no response schemas here). Fastify calls each factory's result with
 * `{ schema, method, url, httpPart }` per route; its typings describe Ajv's compile
 * instead, hence the cast.
 */
export const zodSchemaController: SchemaController = {
  compilersFactory: {
    buildValidator: (() => zodValidator) as unknown as NonNullable<SchemaController['compilersFactory']>['buildValidator'],
    buildSerializer: (() => () => (data: unknown) => JSON.stringify(data)) as unknown as NonNullable<SchemaController['compilersFactory']>['buildSerializer'],
  },
};
