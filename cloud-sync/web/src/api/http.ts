/**
 * fetch for the API: JSON in and out, the access token attached, one refresh (by the
 * HttpOnly session cookie) and retry on an expired token, and every failure as an
 * ApiFailure (NETWORK when nothing answered). When the session cookie is refused
 * the session ends and `onSessionEnded` tells the app why.
 */
import { ApiFailure, failureFrom } from './api-failure.js';
import type { Session } from './session.js';
import type { Tokens } from './types.js';

export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

export interface RequestOptions {
  readonly body?: unknown;
  readonly query?: Query;
  /** Default true: send the access token (refreshing it first when needed). */
  readonly auth?: boolean;
  readonly headers?: Readonly<Record<string, string>>;
}

/** What the cookie routes demand of the page (the server's browser-session.ts): a CSRF guard. */
export const SESSION_COOKIE_HEADERS = { 'x-easygas-csrf': '1' } as const;

export interface HttpOptions {
  readonly fetch: typeof fetch;
  readonly session: Session;
  /** The refresh token was refused (expired, revoked, reused): the user must sign in again. */
  readonly onSessionEnded: (failure: ApiFailure) => void;
}

export class Http {
  #refreshing: Promise<void> | undefined;

  constructor(private readonly options: HttpOptions) {}

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const auth = options.auth ?? true;
    if (auth && this.options.session.access === undefined) await this.refresh();
    try {
      return await this.#send<T>(method, path, options, auth);
    } catch (error) {
      if (!(auth && error instanceof ApiFailure && error.code === 'EASYGAS_TOKEN_INVALID')) throw error;
      await this.refresh();
      return this.#send<T>(method, path, options, auth);
    }
  }

  /** Renews the access token by the session cookie; one at a time per tab, and across tabs. */
  refresh(): Promise<void> {
    this.#refreshing ??= this.#refreshOnce().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #refreshOnce(): Promise<void> {
    const session = this.options.session;
    await session.lock(async () => {
      // Another tab may have signed out while we waited.
      if (!session.hasSession) {
        const failure = new ApiFailure('EASYGAS_REFRESH_TOKEN_INVALID', 401, 'signed out');
        session.clear();
        this.options.onSessionEnded(failure);
        throw failure;
      }
      try {
        session.signedIn(await this.#send<Tokens>('POST', '/api/auth/session/refresh', { headers: SESSION_COOKIE_HEADERS }, false));
      } catch (error) {
        if (error instanceof ApiFailure && error.status === 401) {
          session.clear();
          this.options.onSessionEnded(error);
        }
        throw error;
      }
    });
  }

  async #send<T>(method: string, path: string, options: RequestOptions, auth: boolean): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    const token = auth ? this.options.session.access : undefined;
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await this.options.fetch(withQuery(path, options.query), {
        method,
        headers,
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      });
    } catch {
      throw new ApiFailure('NETWORK', 0, 'no answer from the cloud');
    }
    const text = await response.text().catch(() => '');
    const body = parse(text);
    if (!response.ok) throw failureFrom(response.status, body, response.headers.get('retry-after'));
    return body as T;
  }
}

function parse(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function withQuery(path: string, query: Query | undefined): string {
  if (query === undefined) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
  const text = params.toString();
  return text === '' ? path : `${path}?${text}`;
}
