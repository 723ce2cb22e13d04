/** An API call that did not succeed: the server's error code, or NETWORK when nothing answered. */
export interface Issue {
  readonly path: string;
  readonly message: string;
}

export class ApiFailure extends Error {
  override readonly name = 'ApiFailure';
  constructor(
    /** The catalogue's code (EASYGAS_…), NETWORK, or HTTP_<status> for an answer without one. */
    readonly code: string,
    /** 0 when the request never got an answer. */
    readonly status: number,
    message: string,
    readonly issues: readonly Issue[] = [],
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }

  /** Worth retrying by itself later: no answer, overload, or the database away. */
  get transient(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

/** Reads an error answer's body; tolerates anything a proxy might have sent instead. */
export function failureFrom(status: number, body: unknown, retryAfter: string | null): ApiFailure {
  const b = (typeof body === 'object' && body !== null ? body : {}) as { code?: unknown; message?: unknown; issues?: unknown };
  const issues = Array.isArray(b.issues)
    ? b.issues.filter((i): i is Issue => typeof i === 'object' && i !== null && typeof (i as Issue).path === 'string' && typeof (i as Issue).message === 'string')
    : [];
  const seconds = retryAfter !== null && /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : undefined;
  return new ApiFailure(
    typeof b.code === 'string' ? b.code : `HTTP_${status}`,
    status,
    typeof b.message === 'string' ? b.message : `the server answered ${status}`,
    issues,
    seconds,
  );
}
