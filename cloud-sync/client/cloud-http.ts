/**
 * The sync protocol's HTTP calls over axios, each answered as a plain outcome the
 * agent can act on (README "What the sync agent does") instead of a thrown error:
 * ok, unauthorized (stop), retry (5xx, network, timeout; with Retry-After when the
 * cloud gave one), tooLarge (413: halve the batch) or rejected (a 4xx bug).
 */
import { promisify } from 'node:util';
import { constants as zlib, gzip } from 'node:zlib';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import {
  DeviceConfig, HeartbeatAck, IngestAck, SYNC_ERROR_CODES, SYNC_PATHS, configEtag, validator,
  type CalibrationUpload, type Heartbeat, type IngestBatch,
} from '../protocol/index.js';
import { parseRetryAfter } from './backoff.js';
import { connectTimeoutAgents } from './connect-timeout-agent.js';

const gzipAsync = promisify(gzip);

export interface CloudHttpOptions {
  readonly baseUrl: string;
  readonly credential: string;
  /** TCP/TLS handshake limit. Default 10 s. */
  readonly connectTimeoutMs?: number;
  /** Whole request, body included (a slow-dripping answer counts). Default 30 s. */
  readonly requestTimeoutMs?: number;
  /** Bodies at least this large are gzipped. Default 1 KiB. */
  readonly gzipMinBytes?: number;
  readonly now?: () => number;
}

export type CloudOutcome<T> =
  | { readonly kind: 'ok'; readonly value: T; readonly wireBytes: number }
  | { readonly kind: 'not-modified' }
  | { readonly kind: 'unauthorized'; readonly message: string }
  /** `network`: nothing answered (refused, reset, unreachable, timed out). */
  | { readonly kind: 'retry'; readonly message: string; readonly retryAfterMs?: number; readonly network: boolean }
  | { readonly kind: 'too-large'; readonly message: string }
  | { readonly kind: 'rejected'; readonly status: number; readonly message: string };

const ingestAck = validator(IngestAck);
const heartbeatAck = validator(HeartbeatAck);
const deviceConfig = validator(DeviceConfig);

export class CloudHttp {
  readonly #http: AxiosInstance;
  readonly #options: CloudHttpOptions;
  readonly #agents: ReturnType<typeof connectTimeoutAgents>;
  readonly #now: () => number;
  /** Aborts whatever is in flight when the agent stops. */
  readonly #closing = new AbortController();

  constructor(options: CloudHttpOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#agents = connectTimeoutAgents(options.connectTimeoutMs ?? 10_000);
    this.#http = axios.create({
      baseURL: options.baseUrl.replace(/\/+$/, ''),
      timeout: options.requestTimeoutMs ?? 30_000,
      httpAgent: this.#agents.http,
      httpsAgent: this.#agents.https,
      // The gateway talks to its cloud directly: an HTTP_PROXY in the environment must not reroute it.
      proxy: false,
      maxRedirects: 0,
      // Every status is an answer to classify, not an exception.
      validateStatus: () => true,
      responseType: 'json',
      headers: { authorization: `Bearer ${options.credential}` },
    });
  }

  async ingest(batch: IngestBatch): Promise<CloudOutcome<IngestAck> & { readonly sentBytes?: number }> {
    const json = Buffer.from(JSON.stringify(batch));
    const zipped = json.length >= (this.#options.gzipMinBytes ?? 1024);
    // Level 1: most of the saving (readings repeat their keys) for a fraction of the CPU, on a Pi too.
    const body = zipped ? await gzipAsync(json, { level: zlib.Z_BEST_SPEED }) : json;
    const outcome = await this.#send<IngestAck>(
      'POST', SYNC_PATHS.ingest, body, { 'content-type': 'application/json', ...(zipped ? { 'content-encoding': 'gzip' } : {}) },
      (data) => ingestAck.check(data),
    );
    return { ...outcome, sentBytes: body.length };
  }

  heartbeat(heartbeat: Heartbeat): Promise<CloudOutcome<HeartbeatAck>> {
    return this.#send('POST', SYNC_PATHS.heartbeat, Buffer.from(JSON.stringify(heartbeat)), { 'content-type': 'application/json' }, (d) => heartbeatAck.check(d));
  }

  /** GET the device config; `not-modified` while `heldVersion` is current. */
  fetchConfig(heldVersion: number | undefined): Promise<CloudOutcome<DeviceConfig>> {
    const headers: Record<string, string> = heldVersion === undefined ? {} : { 'if-none-match': configEtag(heldVersion) };
    return this.#send('GET', SYNC_PATHS.config, undefined, headers, (d) => deviceConfig.check(d));
  }

  putCalibrations(upload: CalibrationUpload): Promise<CloudOutcome<unknown>> {
    return this.#send('PUT', SYNC_PATHS.calibrations, Buffer.from(JSON.stringify(upload)), { 'content-type': 'application/json' }, () => true);
  }

  close(): void {
    this.#closing.abort();
    this.#agents.http.destroy();
    this.#agents.https.destroy();
  }

  async #send<T>(method: 'GET' | 'POST' | 'PUT', path: string, body: Buffer | undefined, headers: Record<string, string>, check: (data: unknown) => boolean): Promise<CloudOutcome<T>> {
    const deadline = this.#options.requestTimeoutMs ?? 30_000;
    let response: AxiosResponse<unknown>;
    try {
      response = await this.#http.request<unknown>({
        method,
        url: path,
        headers,
        ...(body === undefined ? {} : { data: body }),
        // axios's timeout is per socket inactivity; this bounds the whole exchange.
        signal: AbortSignal.any([AbortSignal.timeout(deadline), this.#closing.signal]),
      });
    } catch (err) {
      return { kind: 'retry', network: true, message: `${method} ${path}: ${describeNetworkError(err)}` };
    }
    const { status } = response;
    const code = errorCode(response.data);
    const message = `${method} ${path} → ${status}${code === undefined ? '' : ` ${code}`}${errorMessage(response.data)}`;
    if (status === 304) return { kind: 'not-modified' };
    if (status >= 200 && status < 300) {
      if (!check(response.data)) return { kind: 'retry', network: false, message: `${method} ${path}: the cloud's answer does not match the protocol (a proxy in the way?)` };
      return { kind: 'ok', value: response.data as T, wireBytes: body?.length ?? 0 };
    }
    if (status === 401 || code === SYNC_ERROR_CODES.credentialInvalid) return { kind: 'unauthorized', message };
    if (status === 413 || code === SYNC_ERROR_CODES.bodyTooLarge) return { kind: 'too-large', message };
    if (status === 429 || status === 503 || status >= 500 || status === 408) {
      const retryAfterMs = parseRetryAfter(response.headers['retry-after'], this.#now());
      return { kind: 'retry', network: false, message, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
    }
    return { kind: 'rejected', status, message };
  }
}

function errorCode(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const code = (data as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function errorMessage(data: unknown): string {
  if (typeof data !== 'object' || data === null) return '';
  const text = (data as { message?: unknown }).message;
  return typeof text === 'string' ? `: ${text}` : '';
}

function describeNetworkError(err: unknown): string {
  if (axios.isAxiosError(err)) {
    const cause = (err.cause as { code?: unknown } | undefined)?.code;
    return `${err.code ?? (typeof cause === 'string' ? cause : 'network error')} (${err.message})`;
  }
  return err instanceof Error ? err.message : String(err);
}
