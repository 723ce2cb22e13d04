/**
 * Holds the server to its own OpenAPI document: every answer a test provokes is
 * checked as it leaves (an onSend and an onResponse hook). Its status must be
 * declared for its operation, its body must validate against the declared schema
 * (Ajv, JSON Schema 2020-12, as a client generator reads it), an error's code must be
 * in that answer's `x-error-codes`, a body-less answer must be empty, and every
 * required header must be there and well-formed. Problems are collected, not
 * thrown, so the test that provoked them fails with the list (see harness.close).
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { openApiPath } from '../docs/route-answers.js';

// ajv-formats is CommonJS: its default export arrives wrapped under ESM.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;

type Json = Record<string, unknown>;

interface Answer {
  readonly description?: string;
  readonly headers?: Record<string, { $ref: string }>;
  readonly content?: Record<string, unknown>;
  readonly 'x-error-codes'?: readonly string[];
}

/** JSON Pointer escaping, for referring to a schema inside the document. */
const pointer = (segment: string): string => segment.replace(/~/g, '~0').replace(/\//g, '~1');

export class OpenApiConformance {
  /** Everything that disagreed with the document, one line each. */
  readonly problems: string[] = [];
  /** "GET /api/devices/{id}" → the statuses seen answered. */
  readonly seen = new Map<string, Set<number>>();
  #doc: Json | undefined;
  #ajv: Ajv2020 | undefined;
  readonly #validators = new Map<string, ValidateFunction>();
  readonly #payloads = new WeakMap<FastifyRequest, unknown>();

  /** Installs the hooks; call before app.ready(). */
  attach(app: FastifyInstance): void {
    app.addHook('onSend', async (request, _reply, payload) => {
      this.#payloads.set(request, payload);
      return payload;
    });
    app.addHook('onResponse', async (request, reply) => {
      this.#check(app, request, reply);
    });
  }

  /** The document as a client sees it (GET /docs/openapi.json). */
  document(app: FastifyInstance): Json {
    this.#doc ??= JSON.parse(JSON.stringify(app.swagger())) as Json;
    return this.#doc;
  }

  #validator(app: FastifyInstance, ref: string): ValidateFunction {
    let validate = this.#validators.get(ref);
    if (validate === undefined) {
      if (this.#ajv === undefined) {
        this.#ajv = new Ajv2020({ allErrors: true, strictSchema: false });
        addFormats(this.#ajv);
        this.#ajv.addSchema({ ...this.document(app), $id: 'openapi.json' });
      }
      validate = this.#ajv.compile({ $ref: `openapi.json#${ref}` });
      this.#validators.set(ref, validate);
    }
    return validate;
  }

  #check(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): void {
    const url = request.routeOptions.url;
    if (url === undefined || request.is404) return; // no route: the 404 handler or a URL the router refused
    if (request.routeOptions.schema?.hide === true) return;
    const method = request.method === 'HEAD' ? 'get' : request.method.toLowerCase();
    const path = openApiPath(url);
    const operation = `${method.toUpperCase()} ${path}`;
    const status = reply.statusCode;
    const seen = this.seen.get(operation) ?? new Set<number>();
    seen.add(status);
    this.seen.set(operation, seen);
    const where = `${operation} → ${status}`;
    const paths = this.document(app).paths as Record<string, Record<string, { responses: Record<string, Answer> }>>;
    const answer = paths[path]?.[method]?.responses[String(status)];
    if (answer === undefined) {
      this.problems.push(`${where}: status not declared in the document`);
      return;
    }
    this.#checkHeaders(app, where, answer, reply);
    if (request.method !== 'HEAD') this.#checkBody(app, where, `/paths/${pointer(path)}/${method}/responses/${status}`, answer, reply, this.#payloads.get(request));
  }

  #checkHeaders(app: FastifyInstance, where: string, answer: Answer, reply: FastifyReply): void {
    const components = (this.document(app).components as { headers: Record<string, { required?: boolean }> }).headers;
    for (const [name, { $ref }] of Object.entries(answer.headers ?? {})) {
      const componentName = $ref.split('/').pop() ?? '';
      const value = reply.getHeader(name);
      if (value === undefined) {
        if (components[componentName]?.required === true) this.problems.push(`${where}: required header ${name} is missing`);
        continue;
      }
      const text = String(value);
      const validate = this.#validator(app, `/components/headers/${pointer(componentName)}/schema`);
      const typed = /^\d+$/.test(text) ? Number(text) : text;
      if (!validate(typed) && !validate(text)) this.problems.push(`${where}: header ${name}: ${JSON.stringify(text)} does not fit its schema`);
    }
  }

  #checkBody(app: FastifyInstance, where: string, ref: string, answer: Answer, reply: FastifyReply, payload: unknown): void {
    const text = payload === undefined || payload === null ? '' : typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : undefined;
    if (text === undefined) {
      this.problems.push(`${where}: the body is a stream; the checker reads strings and buffers only`);
      return;
    }
    if (answer.content === undefined) {
      if (text !== '') this.problems.push(`${where}: declared without a body, but answered ${JSON.stringify(text.slice(0, 80))}`);
      return;
    }
    const type = String(reply.getHeader('content-type') ?? '').split(';')[0]?.trim() ?? '';
    if (!Object.hasOwn(answer.content, type)) {
      this.problems.push(`${where}: Content-Type ${type || '(none)'} is not among ${Object.keys(answer.content).join(', ')}`);
      return;
    }
    let body: unknown = text;
    if (type === 'application/json') {
      try {
        body = JSON.parse(text);
      } catch {
        this.problems.push(`${where}: the body is not JSON: ${JSON.stringify(text.slice(0, 80))}`);
        return;
      }
    }
    const validate = this.#validator(app, `${ref}/content/${pointer(type)}/schema`);
    if (!validate(body)) {
      const errors = (validate.errors ?? []).slice(0, 3).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
      this.problems.push(`${where}: the body does not fit the declared schema: ${errors.join('; ')}`);
    }
    const codes = answer['x-error-codes'];
    const code = (body as { code?: unknown } | null)?.code;
    if (codes !== undefined && (typeof code !== 'string' || !codes.includes(code))) {
      this.problems.push(`${where}: code ${String(code)} is not among its x-error-codes (${codes.join(', ')})`);
    }
  }
}
