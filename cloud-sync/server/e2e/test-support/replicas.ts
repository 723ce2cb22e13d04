/**
 * Starting replica-process.ts children on one PostgreSQL schema, a receiver that
 * counts the deliveries they make, and the few HTTP calls the tests need.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

const root = resolve(import.meta.dirname, '../../../..');

export interface Replica {
  readonly url: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** SIGTERM, and wait for the exit. */
  stop(): Promise<void>;
  /** SIGKILL: no shutdown, leases left as they are. */
  kill(): Promise<void>;
}

export async function startReplica(config: object): Promise<Replica> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'cloud-sync/server/e2e/test-support/replica-process.ts', JSON.stringify(config)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const { url, pid } = await new Promise<{ url: string; pid: number }>((done, fail) => {
    if (child.stdout === null) return fail(new Error('no stdout'));
    createInterface({ input: child.stdout }).once('line', (line) => done(JSON.parse(line) as { url: string; pid: number }));
    child.once('exit', (code) => fail(new Error(`the replica exited (${code}) before listening`)));
  });
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return { url, pid, child, stop: () => end('SIGTERM'), kill: () => end('SIGKILL') };
}

/** Every delivery POSTed by any replica: notification id → the pids that delivered it. */
export class DeliveryReceiver {
  readonly deliveries = new Map<string, number[]>();
  #server: Server | undefined;
  #waiters = new Set<() => void>();

  async start(): Promise<string> {
    this.#server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        const { id, pid } = JSON.parse(body) as { id: string; pid: number };
        this.deliveries.set(id, [...(this.deliveries.get(id) ?? []), pid]);
        response.writeHead(204).end();
        for (const wake of [...this.#waiters]) wake();
      });
    });
    await new Promise<void>((done) => this.#server?.listen(0, '127.0.0.1', done));
    const address = this.#server.address();
    return `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/deliveries`;
  }

  /** Resolves once `count` distinct notifications were delivered. */
  waitFor(count: number, timeoutMs: number): Promise<void> {
    return new Promise((done, fail) => {
      const check = () => {
        if (this.deliveries.size < count) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        done();
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        fail(new Error(`${this.deliveries.size} of ${count} notifications delivered within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiters.add(check);
      check();
    });
  }

  close(): Promise<void> {
    return new Promise((done) => (this.#server === undefined ? done() : this.#server.close(() => done())));
  }
}

export async function http<T>(base: string, method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }), ...(options.body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  if (response.status >= 400) throw new Error(`${method} ${path} → ${response.status} ${text.slice(0, 300)}`);
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

/** A user with one claimed gateway, through the given replica. */
export async function userWithGateway(base: string): Promise<{ token: string; gatewayId: string; credential: string }> {
  const email = `replica-${Math.random().toString(36).slice(2)}@example.com`;
  const signedUp = await http<{ accessToken: string }>(base, 'POST', '/api/auth/register', { body: { email, password: 'correct horse battery staple', name: 'R' } });
  const code = await http<{ code: string }>(base, 'POST', '/api/devices/claim-codes', { token: signedUp.accessToken });
  const gw = await http<{ gatewayId: string; credential: string }>(base, 'POST', '/api/devices/register', { body: { code: code.code, name: 'Pi', version: '0.1.0' } });
  return { token: signedUp.accessToken, ...gw };
}

/** The Prometheus counter's value in a replica's /metrics, or 0. */
export async function counter(base: string, line: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? 0 : Number(found.slice(line.length + 1));
}
