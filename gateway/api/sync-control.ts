/**
 * What the control API needs of the cloud sync agent (gateway/app/sync-wiring.ts
 * provides more): its status and "sync now". Kept apart so the API does not depend
 * on the agent's module.
 */
export type SyncState = 'idle' | 'syncing' | 'backoff' | 'unauthorized' | 'not-provisioned' | 'disabled';

export interface SyncStatus {
  readonly state: SyncState;
  /** Records stored and not yet acknowledged by the cloud. */
  readonly backlog: number;
  /** UTC ms of the last acknowledged upload. */
  readonly lastSyncAt?: number;
  readonly lastError?: string;
  /** The highest seq the cloud acknowledged; unknown until the cloud first answers. */
  readonly cursor?: number;
  /** Failures in a row (0 after a success). */
  readonly retries?: number;
  readonly cloudUrl?: string;
}

export interface SyncControl {
  status(): SyncStatus;
  /** Uploads what waits now (skipping any backoff); resolves when the attempt is over. */
  syncNow(): Promise<unknown>;
}
