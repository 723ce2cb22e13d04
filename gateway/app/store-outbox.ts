/**
 * The gateway's store seen as the sync agent's Outbox (cloud-sync/client/outbox.ts):
 * the agent never learns that SQLite or a worker thread is behind it.
 */
import type { Outbox, OutboxBacklog, OutboxLimits } from '../../cloud-sync/client/outbox.js';
import type { OutboxRecord } from '../../cloud-sync/protocol/index.js';
import type { ReadingStore } from '../store/reading-store.js';

export function storeOutbox(store: Pick<ReadingStore, 'outbox' | 'ack' | 'backlog'>): Outbox {
  return {
    // The store's records are the protocol's shape (protocol/records.ts copies gateway/store/records.ts).
    read: (afterSeq: number, limits: OutboxLimits): Promise<readonly OutboxRecord[]> => store.outbox(afterSeq, limits),
    ack: (seq: number) => store.ack(seq),
    backlog: async (): Promise<OutboxBacklog> => {
      const b = await store.backlog();
      return { ackedSeq: b.ackedSeq, records: b.total };
    },
  };
}
