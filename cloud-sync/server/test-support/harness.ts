/**
 * A cloud for route tests: in-memory SQLite (or a fresh schema on the real
 * PostgreSQL), a manual clock, cheap password hashing, no sweeper or retention
 * timer, and a notifier that records what it was asked to send.
 */
import { testPaymentProvider } from './test-payment-provider.js';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { build } from '../app.js';
import type { CloudOptions } from '../options.js';
import type { Notifier } from '../services/notifier.js';
import type { Repository } from '../storage/repository.js';
import { openRepository } from '../storage/open-repository.js';
import type { Notification } from '../storage/types.js';
import { announceSkip, freshPostgresSchema } from '../storage/test-support/postgres.js';
import { ManualServerClock } from './manual-clock.js';
import { OpenApiConformance } from './openapi-conformance.js';
import { recordingChannels, type SentEmail } from './recording-channels.js';

export type StorageKind = 'sqlite' | 'postgres';
export const STORAGE_KINDS: readonly StorageKind[] = ['sqlite', 'postgres'];

/** PostgreSQL is unreachable outside CI: the suite is skipped, loudly. */
export class StorageUnavailable extends Error {}

async function openStorage(storage: StorageKind, suite: string): Promise<{ repo: Repository; drop: () => Promise<void> }> {
  if (storage === 'sqlite') return { repo: await openRepository(':memory:'), drop: () => Promise.resolve() };
  const got = await freshPostgresSchema();
  if (!got.ok) {
    announceSkip(suite, got.reason);
    throw new StorageUnavailable(got.reason);
  }
  return { repo: await openRepository(got.fresh.url, { schema: got.fresh.schema }), drop: () => got.fresh.drop() };
}

export interface Harness {
  readonly app: FastifyInstance;
  readonly clock: ManualServerClock;
  readonly repo: Repository;
  readonly delivered: Notification[];
  /** What the email channel was asked to send (verification links, alarms). */
  readonly sent: SentEmail[];
  /** Every answer given is checked against the OpenAPI document. */
  readonly conformance: OpenApiConformance;
  /** Closes the app, then fails if any answer disagreed with the document. */
  close(): Promise<void>;
}

export const FAST_SCRYPT = { N: 1024, r: 8, p: 1 } as const;
export const PASSWORD = 'correct horse battery staple';

/** How a harness is set up: its database, and hooks to add before the app is ready (fastify takes them only then). */
export interface HarnessSetup {
  readonly storage?: StorageKind;
  readonly beforeReady?: (app: FastifyInstance) => void;
}

export async function startHarness(overrides: Partial<CloudOptions> = {}, setup: HarnessSetup = {}): Promise<Harness> {
  const storage = setup.storage ?? 'sqlite';
  const clock = new ManualServerClock();
  const { repo, drop } = await openStorage(storage, `route tests on ${storage}`);
  const delivered: Notification[] = [];
  const notifier: Notifier = {
    deliver(n) {
      delivered.push(n);
      return Promise.resolve();
    },
  };
  const recording = recordingChannels(() => clock.now());
  const app = await build({ db: repo, clock, sweeper: false, retention: false, autoOrder: false, anomalies: false, passwordCost: FAST_SCRYPT, notifier, channels: recording.channels, paymentProviders: [testPaymentProvider], ...overrides });
  const conformance = new OpenApiConformance();
  conformance.attach(app);
  setup.beforeReady?.(app);
  await app.ready();
  return {
    app,
    clock,
    repo,
    delivered,
    sent: recording.sent,
    conformance,
    async close() {
      await app.close();
      await recording.channels.close();
      await repo.close();
      await drop();
      if (conformance.problems.length > 0) {
        throw new Error(`answers that disagree with the OpenAPI document:\n${[...new Set(conformance.problems)].join('\n')}`);
      }
    },
  };
}

export interface Answer<T = unknown> {
  readonly status: number;
  readonly body: T;
  readonly headers: Record<string, string | string[] | number | undefined>;
  readonly text: string;
}

export interface Call {
  readonly token?: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly query?: Record<string, string>;
}

/** One request through app.inject, JSON in and out. */
export async function call<T = Record<string, unknown>>(app: FastifyInstance, method: InjectOptions['method'], url: string, options: Call = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const response = await app.inject({
    method,
    url,
    headers,
    ...(options.query === undefined ? {} : { query: options.query }),
    ...(options.body === undefined ? {} : { payload: options.body as InjectOptions['payload'] }),
  });
  let body: unknown;
  try {
    body = response.body === '' ? undefined : JSON.parse(response.body);
  } catch {
    body = response.body;
  }
  return { status: response.statusCode, body: body as T, headers: response.headers, text: response.body };
}

export interface SignedIn {
  readonly token: string;
  readonly refreshToken: string;
  readonly userId: string;
  readonly email: string;
}

/** A customer by default; `role: 'supplier'` is the other role anyone may register as. */
export async function signUp(app: FastifyInstance, name = 'Test User', role: 'customer' | 'supplier' = 'customer'): Promise<SignedIn> {
  const email = `user-${randomUUID()}@example.com`;
  const answer = await call<{ accessToken: string; refreshToken: string; user: { id: string } }>(app, 'POST', '/api/auth/register', {
    body: { email, password: PASSWORD, name, role },
  });
  if (answer.status !== 201) throw new Error(`register failed: ${answer.status} ${answer.text}`);
  return { token: answer.body.accessToken, refreshToken: answer.body.refreshToken, userId: answer.body.user.id, email };
}

export interface Claimed {
  readonly gatewayId: string;
  readonly credential: string;
}

export async function claimGateway(app: FastifyInstance, token: string, name = 'Kitchen Pi'): Promise<Claimed> {
  const code = await call<{ code: string }>(app, 'POST', '/api/devices/claim-codes', { token });
  if (code.status !== 201) throw new Error(`claim code failed: ${code.status} ${code.text}`);
  const registered = await call<Claimed>(app, 'POST', '/api/devices/register', { body: { code: code.body.code, name, version: '0.1.0' } });
  if (registered.status !== 201) throw new Error(`register failed: ${registered.status} ${registered.text}`);
  return registered.body;
}

/** A harness on this database, or why the suite skips (PostgreSQL unreachable). */
export async function harnessOrSkip(storage: StorageKind, overrides: Partial<CloudOptions> = {}): Promise<{ h: Harness } | { skip: string }> {
  try {
    return { h: await startHarness(overrides, { storage }) };
  } catch (error) {
    if (!(error instanceof StorageUnavailable)) throw error;
    return { skip: error.message };
  }
}
