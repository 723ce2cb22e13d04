/**
 * The transactional outbox: `enqueueOutbox` writes a row in the caller's
 * transaction (the notification and the duty to deliver it commit together), and
 * the worker claims due rows under a lease. On PostgreSQL the claim skips rows
 * another process has locked (FOR UPDATE SKIP LOCKED), so two workers never take
 * the same row; on SQLite the claim is one write transaction, which excludes every
 * other writer. A row whose lease ran out (its process died) is due again.
 * Settling checks the lease owner: a worker that lost its lease changes nothing.
 */
import type { Db } from '../db/database.js';
import type { OutboxItem, OutboxRepository } from '../repository.js';
import { parseJson } from '../rows.js';

/** `availableAt` later than now holds the row back (quiet hours). */
const SETTLED_PAYLOAD = JSON.stringify({ settled: true });

export async function enqueueOutbox(db: Db, kind: string, payload: unknown, now: number, availableAt = now): Promise<void> {
  await db.kysely.insertInto('outbox').values({ kind, payload: JSON.stringify(payload), created_at: now, available_at: availableAt }).execute();
}

export function outbox(db: Db): OutboxRepository {
  return {
    enqueue: (kind, payload, now) => enqueueOutbox(db, kind, payload, now),
    claim(owner, now, leaseMs, limit) {
      return db.atomic(async (tx) => {
        const due = tx.kysely
          .selectFrom('outbox')
          .select('id')
          .where('done_at', 'is', null)
          .where('available_at', '<=', now)
          .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
          .orderBy('available_at')
          .orderBy('id')
          .limit(limit)
          .$if(tx.dialect === 'postgres', (q) => q.forUpdate().skipLocked());
        const rows = await tx.kysely
          .updateTable('outbox')
          .set({ lease_owner: owner, lease_until: now + leaseMs })
          .where('id', 'in', due)
          .returning(['id', 'kind', 'payload', 'attempts', 'created_at'])
          .execute();
        return rows
          .map((r): OutboxItem => ({ id: Number(r.id), kind: r.kind, payload: parseJson<unknown>(r.payload, null), attempts: Number(r.attempts), createdAt: Number(r.created_at) }))
          .sort((a, b) => a.id - b.id);
      });
    },
    async settle(id, owner, outcome, error, now) {
      // A settled row keeps its kind, times and outcome, not its payload: no secret
      // it carried (a verification or reset link) stays in the database.
      const result = await db.kysely
        .updateTable('outbox')
        .set({ done_at: now, payload: SETTLED_PAYLOAD, outcome, last_error: error, lease_owner: null, lease_until: null, attempts: (eb) => eb('attempts', '+', 1) })
        .where('id', '=', id)
        .where('lease_owner', '=', owner)
        .where('done_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async retryAt(id, owner, availableAt, error) {
      const result = await db.kysely
        .updateTable('outbox')
        .set({ available_at: availableAt, last_error: error, lease_owner: null, lease_until: null, attempts: (eb) => eb('attempts', '+', 1) })
        .where('id', '=', id)
        .where('lease_owner', '=', owner)
        .where('done_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async release(ids, owner) {
      if (ids.length === 0) return;
      await db.kysely.updateTable('outbox').set({ lease_owner: null, lease_until: null }).where('id', 'in', [...ids]).where('lease_owner', '=', owner).where('done_at', 'is', null).execute();
    },
    async row(id) {
      const r = await db.kysely.selectFrom('outbox').select(['kind', 'payload', 'outcome', 'done_at']).where('id', '=', id).executeTakeFirst();
      return r === undefined ? undefined : { kind: r.kind, payload: parseJson<unknown>(r.payload, null), outcome: r.outcome, doneAt: r.done_at === null ? null : Number(r.done_at) };
    },
    async pending() {
      const row = await db.kysely.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('done_at', 'is', null).executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
