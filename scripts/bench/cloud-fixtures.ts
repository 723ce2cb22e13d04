/**
 * What the cloud benchmarks share: the API server in a child process, a tiny HTTP
 * client, provisioning of users and gateways, and readings as a gateway sends them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { ReadingRecord } from '../../cloud-sync/protocol/index.js';
import { freshPostgresSchema } from '../../cloud-sync/server/storage/test-support/postgres.js';
import type { BenchContext } from './harness.js';

const root = resolve(import.meta.dirname, '..', '..');

export interface CloudProcess {
  readonly url: string;
  stop(): Promise<void>;
  /** kill -9: a crash, mid-request if one is in flight. */
  kill(): Promise<void>;
}

export async function startCloudProcess(db: string, pgSchema?: string): Promise<CloudProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'scripts/bench/cloud-server-child.ts', JSON.stringify({ db, ...(pgSchema === undefined ? {} : { pgSchema }) })],
    { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const url = await new Promise<string>((done, fail) => {
    if (child.stdout === null) return fail(new Error('no stdout'));
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => done((JSON.parse(line) as { url: string }).url));
    child.once('exit', (code) => fail(new Error(`the cloud process exited (${code}) before listening`)));
  });
  return {
    url,
    async stop() {
      child.stdin?.end();
      child.kill('SIGTERM');
      await exited;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

export async function request<T>(base: string, method: string, path: string, options: { token?: string; body?: string | object } = {}): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  }
  const response = await fetchOnce(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  if (response.status >= 400) throw new Error(`${method} ${path} → ${response.status} ${text.slice(0, 300)}`);
  return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
}

/**
 * fetch, once more when a kept-alive socket turns out closed before any answer (the
 * server closed it idle as the request went out: undici's "other side closed").
 */
async function fetchOnce(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    const code = (error as { cause?: { code?: unknown } }).cause?.code;
    if (code !== 'UND_ERR_SOCKET') throw error;
    return fetch(url, init);
  }
}

/** One request, timed; never throws on a status (load tests count them). */
export async function timedRequest(base: string, method: string, path: string, options: { token?: string; body?: string } = {}): Promise<{ status: number; text: string; ms: number }> {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const began = performance.now();
  const response = await fetchOnce(`${base}${path}`, { method, headers, ...(options.body === undefined ? {} : { body: options.body }) });
  const text = await response.text();
  return { status: response.status, text, ms: performance.now() - began };
}

/** A database the cloud benchmarks run the API on. */
export interface CloudTarget {
  readonly label: 'SQLite' | 'PostgreSQL';
  readonly db: string;
  readonly pgSchema?: string;
  cleanup(): Promise<void>;
}

/** A SQLite file in the bench's directory, and a fresh PostgreSQL schema when the server is reachable. */
export async function cloudTargets(context: BenchContext, sqliteFile = 'cloud.db'): Promise<CloudTarget[]> {
  const list: CloudTarget[] = [{ label: 'SQLite', db: join(context.tmpDir, sqliteFile), cleanup: () => Promise.resolve() }];
  let reason = '';
  try {
    const got = await freshPostgresSchema();
    if (got.ok) list.push({ label: 'PostgreSQL', db: got.fresh.url, pgSchema: got.fresh.schema, cleanup: () => got.fresh.drop() });
    else reason = got.reason;
  } catch (error) {
    reason = error instanceof Error ? error.message : String(error);
  }
  if (reason !== '') context.log(`PostgreSQL skipped: ${reason}`);
  return list;
}

export interface Provisioned {
  readonly token: string;
  readonly gateways: readonly { readonly gatewayId: string; readonly credential: string }[];
}

/** One user with `count` claimed gateways. */
export async function provision(base: string, count: number): Promise<Provisioned> {
  const email = `bench-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
  const user = await request<{ accessToken: string }>(base, 'POST', '/api/auth/register', { body: { email, password: 'benchmark password', name: 'Bench' } });
  const token = user.body.accessToken;
  const gateways = [];
  for (let i = 0; i < count; i++) {
    const code = await request<{ code: string }>(base, 'POST', '/api/devices/claim-codes', { token });
    const gw = await request<{ gatewayId: string; credential: string }>(base, 'POST', '/api/devices/register', { body: { code: code.body.code, name: `Bench ${i}` } });
    gateways.push(gw.body);
  }
  return { token, gateways };
}

export const SENSORS = ['lpg', 'roof-tank', 'kitchen-gas'] as const;

/** Readings seq first..first+count-1 cycling over three sensors, a minute apart per sensor. */
export function readings(first: number, count: number, start: number): ReadingRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const seq = first + i;
    const sensor = SENSORS[seq % SENSORS.length] ?? 'lpg';
    const gas = sensor === 'kitchen-gas';
    const value = gas ? 1 + (seq % 7) / 10 : 80 - (seq % 1000) / 50;
    return {
      record: 'reading',
      seq,
      sensorId: sensor,
      sensorKind: gas ? 'gas' : 'level',
      at: start + Math.floor(seq / SENSORS.length) * 60_000,
      value,
      unit: gas ? '%LEL' : '%',
      raw: gas ? 0.42 : 231 + (seq % 100),
      ...(gas ? { ppm: 190 + (seq % 40) } : { percent: value, litres: (value / 100) * 45 }),
      quality: 'ok',
      clockSynced: true,
    };
  });
}
