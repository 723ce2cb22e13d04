/**
 * The messages between StoreClient (main thread) and store-worker.ts. Writes carry
 * a ref (the client's message id, increasing per session) so the worker can
 * acknowledge them once committed and recognise them when they are resent.
 */
import type { Reading } from '../pipeline/types.js';
import type { StorableEvent } from './records.js';
import type { StoreConfig } from './store-service.js';

export interface StoreWorkerData {
  readonly dataDir: string;
  /** The client's session: survives worker restarts, differs per client. */
  readonly session: string;
  readonly config: StoreConfig;
}

export type RequestMethod =
  | 'readingsFor'
  | 'latestReadings'
  | 'events'
  | 'outbox'
  | 'ack'
  | 'backlog'
  | 'stats'
  | 'metrics'
  | 'flush'
  | 'close'
  | 'backup';

export type ToWorker =
  | { readonly type: 'reading'; readonly ref: number; readonly reading: Reading }
  | { readonly type: 'event'; readonly ref: number; readonly event: StorableEvent }
  | { readonly type: 'request'; readonly id: number; readonly method: RequestMethod; readonly args: readonly unknown[] };

export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly hint?: string;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type FromWorker =
  | { readonly type: 'ready' }
  /** Every reading with ref ≤ through is committed (or was given up and counted). */
  | { readonly type: 'readings-committed'; readonly through: number }
  | { readonly type: 'event-committed'; readonly ref: number; readonly seq: number }
  | { readonly type: 'event-dropped'; readonly ref: number; readonly reason: string }
  | { readonly type: 'response'; readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly type: 'response'; readonly id: number; readonly ok: false; readonly error: SerializedError }
  | { readonly type: 'log'; readonly level: LogLevel; readonly fields: object; readonly msg: string };

export function serializeError(err: unknown): SerializedError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const { code, hint } = err as { code?: unknown; hint?: unknown };
  return {
    name: err.name,
    message: err.message,
    ...(typeof code === 'string' && { code }),
    ...(typeof hint === 'string' && { hint }),
  };
}

/** An error answered by the worker, rebuilt on the main thread with its code and hint. */
export class StoreRequestError extends Error {
  readonly code?: string;
  readonly hint?: string;

  constructor(error: SerializedError) {
    super(error.message);
    this.name = error.name === 'Error' ? 'StoreRequestError' : error.name;
    if (error.code !== undefined) this.code = error.code;
    if (error.hint !== undefined) this.hint = error.hint;
  }
}
