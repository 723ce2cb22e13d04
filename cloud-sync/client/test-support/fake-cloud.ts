/**
 * A minimal cloud on loopback for the agent's own tests (the real one lives in
 * cloud-sync/server, which this folder may not import; scripts/sync-e2e runs the
 * agent against it). It keeps the ingest contract — upsert on seq, the contiguous
 * watermark — and answers from a script of faults first when one is queued.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { configEtag, type DeviceConfig, type IngestBatch } from '../../protocol/index.js';

export type Fault =
  | { readonly status: number; readonly headers?: Record<string, string>; readonly body?: unknown }
  | 'drop';

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly gzip: boolean;
  readonly at: number;
  readonly batch?: IngestBatch;
  /** Other JSON bodies (heartbeat, calibrations). */
  readonly body?: unknown;
}

export class FakeCloud {
  readonly stored = new Set<number>();
  /** How many times each seq arrived (resends included). */
  readonly deliveries = new Map<number, number>();
  readonly requests: SeenRequest[] = [];
  readonly faults: Fault[] = [];
  watermark = 0;
  credential = 'good';
  configVersion = 0;
  /** Served at GET /api/devices/config (304 while If-None-Match names its version). */
  deviceConfig: DeviceConfig | undefined;
  #server: Server | undefined;

  async listen(port = 0): Promise<string> {
    const server = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.#server = server;
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let raw = Buffer.concat(chunks);
    const gzip = req.headers['content-encoding'] === 'gzip';
    if (gzip) raw = gunzipSync(raw);
    const path = req.url ?? '/';
    const seen: SeenRequest = { method: req.method ?? 'GET', path, authorization: req.headers.authorization, gzip, at: Date.now() };
    const fault = this.faults.shift();
    if (fault === 'drop') {
      this.requests.push(seen);
      req.socket.destroy();
      return;
    }
    if (fault !== undefined) {
      this.requests.push(seen);
      return send(res, fault.status, fault.body ?? { statusCode: fault.status, code: 'X', error: 'fault', message: 'injected' }, fault.headers);
    }
    if (req.headers.authorization !== `Bearer ${this.credential}`) {
      this.requests.push(seen);
      return send(res, 401, { statusCode: 401, code: 'EASYGAS_GATEWAY_CREDENTIAL_INVALID', error: 'Unauthorized', message: 'revoked' });
    }
    if (path === '/api/sensors/data') {
      const batch = JSON.parse(raw.toString('utf8')) as IngestBatch;
      this.requests.push({ ...seen, batch });
      let stored = 0;
      let duplicates = 0;
      for (const r of batch.records) {
        this.deliveries.set(r.seq, (this.deliveries.get(r.seq) ?? 0) + 1);
        if (this.stored.has(r.seq)) duplicates++;
        else stored++;
        this.stored.add(r.seq);
      }
      if (batch.afterSeq <= this.watermark) this.watermark = Math.max(this.watermark, batch.lastSeq);
      return send(res, 200, { ackedSeq: this.watermark, stored, duplicates });
    }
    this.requests.push(raw.length > 0 ? { ...seen, body: JSON.parse(raw.toString('utf8')) as unknown } : seen);
    if (path === '/api/devices/heartbeat') {
      return send(res, 200, { ackedSeq: this.watermark, configVersion: this.deviceConfig?.version ?? this.configVersion, serverTime: Date.now() });
    }
    if (path === '/api/devices/config') {
      const config = this.deviceConfig;
      if (config === undefined || req.headers['if-none-match'] === configEtag(config.version)) return send(res, 304, undefined);
      return send(res, 200, config, { etag: configEtag(config.version) });
    }
    if (path === '/api/devices/calibrations') return send(res, 200, { version: this.configVersion, changed: true });
    return send(res, 404, { statusCode: 404, code: 'NOT_FOUND', error: 'Not Found', message: path });
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(text);
}
