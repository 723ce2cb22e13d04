/**
 * Reads that may scan many rows run on a worker thread with its own read-only
 * connection to the same SQLite file (WAL lets it read while the main thread
 * writes), so no history query ever holds the event loop: ingest, /healthz and
 * every other request go on meanwhile. Kysely compiles on the main thread; the
 * worker only prepares (once), binds and steps.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';

export interface ReadRequest {
  readonly id: number;
  readonly sql: string;
  readonly parameters: readonly unknown[];
}

export type ReadReply =
  | { readonly id: number; readonly rows: unknown[] }
  | { readonly id: number; readonly error: { readonly message: string; readonly code?: string } };

/** The worker beside this module: .ts under tsx (tests), .js in dist/. */
function workerUrl(): URL {
  const order = import.meta.url.endsWith('.ts') ? ['.ts', '.js'] : ['.js', '.ts'];
  for (const ext of order) {
    const url = new URL(`./sqlite-read-worker${ext}`, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  throw new Error('sqlite-read-worker.ts/.js not found');
}

/** On Node 20 tsx's loader does not reach workers by itself: a .ts worker registers it first. */
function startWorker(file: string): Worker {
  const url = workerUrl();
  const options = { workerData: { file }, resourceLimits: { maxYoungGenerationSizeMb: 8 } };
  if (!url.pathname.endsWith('.ts')) return new Worker(url, options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}

class ReadError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/** One worker, started on first use and again after it dies; queries queue in it. */
export class SqliteReadWorker {
  #worker: Worker | undefined;
  #next = 1;
  readonly #pending = new Map<number, { resolve: (rows: unknown[]) => void; reject: (error: Error) => void }>();
  #closed = false;

  constructor(private readonly file: string) {}

  query(sql: string, parameters: readonly unknown[]): Promise<unknown[]> {
    if (this.#closed) return Promise.reject(new Error('database connection is not open'));
    const worker = this.#ensure();
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.postMessage({ id, sql, parameters: parameters.map((v) => (typeof v === 'boolean' ? Number(v) : v)) } satisfies ReadRequest);
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    const worker = this.#worker;
    this.#worker = undefined;
    if (worker !== undefined) await worker.terminate();
    this.#failAll(new Error('database connection is not open'));
  }

  #ensure(): Worker {
    if (this.#worker !== undefined) return this.#worker;
    const worker = startWorker(this.file);
    worker.unref();
    worker.on('message', (reply: ReadReply) => {
      const pending = this.#pending.get(reply.id);
      if (pending === undefined) return;
      this.#pending.delete(reply.id);
      if ('rows' in reply) pending.resolve(reply.rows);
      else pending.reject(new ReadError(reply.error.message, reply.error.code));
    });
    const died = (error: Error): void => {
      if (this.#worker === worker) this.#worker = undefined;
      this.#failAll(error);
    };
    worker.on('error', died);
    worker.on('exit', (code) => died(new Error(`the SQLite read worker exited (${code})`)));
    this.#worker = worker;
    return worker;
  }

  #failAll(error: Error): void {
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }
}

class ReaderConnection implements DatabaseConnection {
  constructor(private readonly worker: SqliteReadWorker) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    return { rows: (await this.worker.query(compiled.sql, compiled.parameters)) as R[] };
  }

  streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('the SQLite reader does not stream');
  }
}

class ReaderDriver implements Driver {
  readonly #connection: ReaderConnection;
  constructor(private readonly worker: SqliteReadWorker) {
    this.#connection = new ReaderConnection(worker);
  }
  async init(): Promise<void> {}
  acquireConnection(): Promise<DatabaseConnection> {
    return Promise.resolve(this.#connection);
  }
  beginTransaction(): Promise<void> {
    return Promise.reject(new Error('the SQLite reader runs single statements; write through the main connection'));
  }
  commitTransaction(): Promise<void> {
    return this.beginTransaction();
  }
  rollbackTransaction(): Promise<void> {
    return this.beginTransaction();
  }
  async releaseConnection(): Promise<void> {}
  destroy(): Promise<void> {
    return this.worker.close();
  }
}

export function sqliteReaderDialect(worker: SqliteReadWorker): Dialect {
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new ReaderDriver(worker),
    createQueryCompiler: () => new SqliteQueryCompiler(),
    createIntrospector: (db: Kysely<unknown>) => new SqliteIntrospector(db),
  };
}
