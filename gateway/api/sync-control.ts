/**
 * What the control API needs of the cloud sync agent. The agent lives on another
 * branch (cloud-sync/client); this is the contract both sides agreed on, so the
 * daemon can expose `sync?: SyncControl` before the agent exists here.
 */
export type SyncState = 'idle' | 'syncing' | 'backoff' | 'unauthorized' | 'not-provisioned' | 'disabled';

export interface SyncStatus {
  readonly state: SyncState;
  /** Records stored and not yet acknowledged by the cloud. */
  readonly backlog: number;
  /** UTC ms of the last acknowledged upload. */
  readonly lastSyncAt?: number;
  readonly lastError?: string;
  /** The highest seq the cloud acknowledged. */
  readonly cursor: number;
}

export interface SyncControl {
  status(): SyncStatus;
  /** Uploads what waits now (skipping any backoff); resolves when the attempt is over. */
  syncNow(): Promise<void>;
}
