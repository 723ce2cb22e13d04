/**
 * An HTTP proxy on a fixed loopback port in front of the real cloud, for the sync
 * chaos tests: the gateway's credential points at it, so the cloud behind it can
 * be restarted on another port, taken down (the proxy stops listening: connection
 * refused), or made to misbehave at random — 500s, answers that never come
 * (timeouts), bodies that drip, connections dropped before or AFTER the cloud
 * stored the batch (a lost acknowledgement, the case that makes duplicates).
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type FaultKind = 'pass' | 'error500' | 'hang' | 'slow-body' | 'drop-before' | 'drop-after';

export interface FaultProxyOptions {
  /** Where requests go; may change while running (setUpstream). */
  readonly upstream: string;
  /** Chance that a request meets a fault (0 = a plain proxy). */
  readonly faultRate?: number;
  /** Seeded so a failing run can be replayed. */
  readonly seed?: number;
}

export interface ProxyStats {
  requests: number;
  faults: Record<FaultKind, number>;
}

export class FaultProxy {
  #upstream: string;
  faultRate: number;
  #random: () => number;
  #server: Server | undefined;
  #port = 0;
  readonly #sockets = new Set<Socket>();
  readonly stats: ProxyStats = { requests: 0, faults: { pass: 0, error500: 0, hang: 0, 'slow-body': 0, 'drop-before': 0, 'drop-after': 0 } };
  /** Called when an ingest request with records arrives (before it is forwarded). */
  onIngest: (() => void) | undefined;

  constructor(options: FaultProxyOptions) {
    this.#upstream = options.upstream;
    this.faultRate = options.faultRate ?? 0;
    this.#random = mulberry32(options.seed ?? 1);
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  setUpstream(url: string): void {
    this.#upstream = url;
  }

  /** Listens (again) on the same port as before, or a free one the first time. */
  async up(): Promise<void> {
    const server = createServer((req, res) => this.#handle(req, res));
    server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, '127.0.0.1', () => resolve());
    });
    this.#port = (server.address() as AddressInfo).port;
    this.#server = server;
  }

  /** Stops listening and cuts every connection: the gateway sees connection refused. */
  async down(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (server === undefined) return;
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #pick(): FaultKind {
    if (this.#random() >= this.faultRate) return 'pass';
    const kinds: FaultKind[] = ['error500', 'hang', 'slow-body', 'drop-before', 'drop-after'];
    return kinds[Math.floor(this.#random() * kinds.length)] ?? 'error500';
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    this.stats.requests++;
    const isIngest = req.url === '/api/sensors/data' && Number(req.headers['content-length'] ?? 0) > 200;
    if (isIngest) this.onIngest?.();
    const fault = this.#pick();
    this.stats.faults[fault]++;
    if (fault === 'drop-before') {
      req.socket.destroy();
      return;
    }
    if (fault === 'error500') {
      req.resume();
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ statusCode: 500, code: 'EASYGAS_INTERNAL', error: 'Internal Server Error', message: 'injected' }));
      return;
    }
    if (fault === 'hang') {
      // Never answers: the gateway's request timeout must fire. The socket dies with down() or the client.
      req.resume();
      return;
    }
    const target = new URL(req.url ?? '/', this.#upstream);
    const upstream = request(
      target,
      { method: req.method, headers: { ...req.headers, host: target.host }, agent: false },
      (answer) => {
        if (fault === 'drop-after') {
          // The cloud has stored the batch; the gateway never hears so.
          answer.resume();
          answer.once('end', () => req.socket.destroy());
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        if (fault === 'slow-body') {
          void drip(answer, res);
          return;
        }
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      // The cloud is down or restarting: as a proxy would, answer 502 (or drop when already answering).
      if (res.headersSent) req.socket.destroy();
      else {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ statusCode: 502, code: 'BAD_GATEWAY', error: 'Bad Gateway', message: 'upstream unavailable' }));
      }
    });
    req.pipe(upstream);
  }
}

/** Sends the answer a few bytes at a time, 50 ms apart. */
async function drip(answer: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of answer) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  for (let i = 0; i < body.length && !res.destroyed; i += 8) {
    res.write(body.subarray(i, i + 8));
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  res.end();
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
