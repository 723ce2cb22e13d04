/**
 * The CLI's side of the control API: JSON over HTTP (Node's fetch) with the
 * password when the gateway needs one, and every failure turned into a CliError
 * that says what to do (start the daemon, fix the password, name the sensor…).
 */
import { EXIT_UNAVAILABLE } from '../errors.js';
import { CliError } from './cli-io.js';

export interface ApiClientOptions {
  readonly url: string;
  readonly password?: string;
  /** Default 15 s: a live read waits for its bus's turn. */
  readonly timeoutMs?: number;
}

interface ErrorBody {
  readonly error?: string;
  readonly message?: string;
  readonly hint?: string;
}

export class ApiClient {
  readonly url: string;
  readonly #password: string | undefined;
  readonly #timeoutMs: number;

  constructor(options: ApiClientOptions) {
    this.url = options.url;
    this.#password = options.password;
    this.#timeoutMs = options.timeoutMs ?? 15_000;
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.#password !== undefined) headers.authorization = `Bearer ${this.#password}`;
    let response: Response;
    try {
      response = await fetch(`${this.url}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
      if (cause === 'TimeoutError') {
        throw new CliError(`the gateway at ${this.url} did not answer within ${this.#timeoutMs / 1000} s`, 'It may be overloaded or stuck: check `journalctl -u easygas-gateway -n 50`.', EXIT_UNAVAILABLE);
      }
      throw new CliError(
        `cannot reach the gateway at ${this.url} (${cause})`,
        'Is it running? Check `systemctl status easygas-gateway` (or start `easygas gateway --simulate`); a stale api.json is removed when it starts again.',
        EXIT_UNAVAILABLE,
      );
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (response.ok) return parsed as T;
    const err = (parsed ?? {}) as ErrorBody;
    if (response.status === 401) {
      throw new CliError('the gateway refused the API password', 'Run the command with the same --config as the gateway (its api.password), or set EASYGAS_API_PASSWORD.', 77);
    }
    throw new CliError(err.message ?? `${method} ${path}: HTTP ${response.status}`, err.hint ?? 'See `easygas --help`.', response.status === 404 ? 2 : 1);
  }
}
