/**
 * One store per API resource: the last data, the last failure, when it was fetched.
 * Fed by fetches now; a live message later calls `set` (or `refresh`) on the same
 * store, so pages never care where an update came from. A store with no subscriber
 * is not refreshed by the live source.
 */
import { ApiFailure } from '../api/api-failure.js';

export interface StoreState<T> {
  readonly data: T | undefined;
  readonly error: ApiFailure | undefined;
  readonly loading: boolean;
  /** When `data` was last fetched or set (client clock). */
  readonly updatedAt: number | undefined;
}

export class Store<T> {
  #state: StoreState<T> = { data: undefined, error: undefined, loading: false, updatedAt: undefined };
  readonly #listeners = new Set<(state: StoreState<T>) => void>();
  #inflight: Promise<void> | undefined;
  #generation = 0;

  /** `load` undefined: an inert store that never fetches (a page asking for something it does not know yet). */
  constructor(
    readonly name: string,
    private readonly load: (() => Promise<T>) | undefined,
    private readonly now: () => number,
  ) {}

  get state(): StoreState<T> {
    return this.#state;
  }

  get watched(): boolean {
    return this.load !== undefined && this.#listeners.size > 0;
  }

  /** The first subscriber loads the data (once). */
  subscribe(listener: (state: StoreState<T>) => void): () => void {
    this.#listeners.add(listener);
    if (this.load !== undefined && this.#state.updatedAt === undefined && this.#inflight === undefined) void this.refresh();
    return () => this.#listeners.delete(listener);
  }

  /** Fetches again; concurrent calls share one request. Failures are kept in state, never thrown. */
  refresh(): Promise<void> {
    if (this.load === undefined) return Promise.resolve();
    this.#inflight ??= this.#fetch().finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  /** Replaces the data (a mutation's answer, a live message). A fetch already in flight is discarded. */
  set(data: T): void {
    this.#generation++;
    this.#update({ data, error: undefined, loading: false, updatedAt: this.now() });
  }

  update(change: (data: T | undefined) => T | undefined): void {
    const next = change(this.#state.data);
    if (next !== undefined) this.set(next);
  }

  async #fetch(): Promise<void> {
    const generation = ++this.#generation;
    this.#update({ ...this.#state, loading: true });
    try {
      const data = await (this.load as () => Promise<T>)();
      if (generation === this.#generation) this.#update({ data, error: undefined, loading: false, updatedAt: this.now() });
    } catch (error) {
      const failure = error instanceof ApiFailure ? error : new ApiFailure('CLIENT', 0, error instanceof Error ? error.message : String(error));
      // Keep the data we had: the page shows it, labelled with its age, beside the failure.
      if (generation === this.#generation) this.#update({ ...this.#state, error: failure, loading: false });
    }
  }

  #update(state: StoreState<T>): void {
    this.#state = state;
    for (const l of this.#listeners) l(state);
  }
}

/** Stores of one resource by id (a sensor's latest reading, a gateway's status). */
export class StoreFamily<T> {
  readonly #stores = new Map<string, Store<T>>();

  constructor(
    readonly name: string,
    private readonly make: (key: string) => Store<T>,
  ) {}

  get(key: string): Store<T> {
    let store = this.#stores.get(key);
    if (store === undefined) {
      store = this.make(key);
      this.#stores.set(key, store);
    }
    return store;
  }

  all(): Store<T>[] {
    return [...this.#stores.values()];
  }

  /** Drops a member (its resource was deleted). */
  forget(key: string): void {
    this.#stores.delete(key);
  }
}
