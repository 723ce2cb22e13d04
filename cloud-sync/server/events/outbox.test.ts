/**
 * The transactional outbox and the leased jobs on SQLite and the real PostgreSQL:
 * a notification and its delivery commit (or roll back) together; a failed
 * delivery is retried after the back-off on the injected clock and given up after
 * its tries; two workers never take the same row; a worker that died holding rows
 * leaves them to another once the lease runs out; a job ticks once per interval
 * across two processes' runners; a settled row keeps no payload (no link token).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { CloudMetrics } from '../metrics.js';
import { openRepository } from '../storage/open-repository.js';
import type { Repository } from '../storage/repository.js';
import { NOTIFICATION_DELIVERY } from '../storage/repositories/notifications.js';
import { announceSkip, freshPostgresSchema } from '../storage/test-support/postgres.js';
import type { Notification, NotificationDraft } from '../storage/types.js';
import { ManualServerClock } from '../test-support/manual-clock.js';
import { JobRunner } from './job-runner.js';
import { notificationDelivery } from './notification-delivery.js';
import { OutboxWorker, type OutboxWorkerOptions } from './outbox-worker.js';

const silent = pino({ level: 'silent' });
const LEASE = 60_000;

function draft(title: string, channels: NotificationDraft['channels'] = ['email']): NotificationDraft {
  return { type: 'test', severity: 'warning', title, message: 'm', channels, sensorId: null, ruleId: null, eventAt: 0 };
}

interface Storage {
  /** Two handles on one database, as two API processes would hold. */
  readonly a: Repository;
  readonly b: Repository;
  close(): Promise<void>;
}

async function openSqliteStorage(): Promise<Storage> {
  const repo = await openRepository(':memory:');
  return { a: repo, b: repo, close: () => repo.close() };
}

async function openPostgresStorage(): Promise<Storage | undefined> {
  const got = await freshPostgresSchema();
  if (!got.ok) {
    announceSkip('outbox on PostgreSQL', got.reason);
    return undefined;
  }
  const a = await openRepository(got.fresh.url, { schema: got.fresh.schema });
  const b = await openRepository(got.fresh.url, { schema: got.fresh.schema });
  return {
    a,
    b,
    async close() {
      await Promise.all([a.close(), b.close()]);
      await got.fresh.drop();
    },
  };
}

for (const kind of ['sqlite', 'postgres'] as const) {
  describe(`the outbox on ${kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`, () => {
    let storage: Storage | undefined;
    let userId = '';
    const clock = new ManualServerClock();

    before(async () => {
      storage = kind === 'sqlite' ? await openSqliteStorage() : await openPostgresStorage();
      if (storage === undefined) return;
      userId = randomUUID();
      await storage.a.users.create({ id: userId, email: `${userId}@example.com`, passwordHash: 'x', name: 'U', role: 'customer' }, clock.now());
    });
    after(async () => storage?.close());

    function worker(repo: Repository, owner: string, deliver: (n: Notification) => Promise<void>, options: Partial<OutboxWorkerOptions> = {}): OutboxWorker {
      return new OutboxWorker(
        repo,
        clock,
        { owner, leaseMs: LEASE, pollMs: 5_000, random: () => 0.5, retryBaseMs: 1_000, ...options },
        { [NOTIFICATION_DELIVERY]: notificationDelivery({ deliver }) },
        new CloudMetrics(),
        silent,
      );
    }

    async function drainAll(w: OutboxWorker): Promise<void> {
      await w.drain();
      const left = await storage?.a.outbox.pending();
      assert.equal(left, 0, 'nothing left pending');
    }

    it('commits a notification and its delivery together; nothing of either when the transaction rolls back', async (t) => {
      if (storage === undefined) return t.skip('PostgreSQL unreachable');
      const { a } = storage;
      const before = await a.outbox.pending();
      await a.notifications.create(userId, null, draft('with channels'), clock.now());
      await a.notifications.create(userId, null, draft('in-app only', []), clock.now());
      assert.equal(await a.outbox.pending(), before + 1, 'one row, for the notification with channels');
      await assert.rejects(
        a.transaction(async (tx) => {
          await tx.notifications.create(userId, null, draft('rolled back'), clock.now());
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.equal(await a.outbox.pending(), before + 1, 'the rolled back notification left no outbox row');
      const titles: string[] = [];
      await drainAll(worker(a, 'w1', (n) => Promise.resolve(void titles.push(n.title))));
      assert.deepEqual(titles, ['with channels']);
    });

    it('retries a failed delivery after the back-off on the injected clock, and gives up after its tries', async (t) => {
      if (storage === undefined) return t.skip('PostgreSQL unreachable');
      const { a } = storage;
      let calls = 0;
      const flaky = worker(a, 'w2', () => (++calls <= 2 ? Promise.reject(new Error('smtp 451')) : Promise.resolve()));
      await a.notifications.create(userId, null, draft('flaky'), clock.now());
      assert.equal(await flaky.drain(), 1);
      assert.equal(calls, 1);
      assert.equal(await flaky.drain(), 0, 'not due before the back-off (0.5 × 1 s)');
      await clock.advance(499);
      assert.equal(await flaky.drain(), 0);
      await clock.advance(1);
      await flaky.drain();
      assert.equal(calls, 2, 'second try after 500 ms');
      await clock.advance(999);
      assert.equal(await flaky.drain(), 0, 'the second wait doubles (0.5 × 2 s)');
      await clock.advance(1);
      await drainAll(flaky);
      assert.equal(calls, 3, 'delivered on the third try, once');

      let tries = 0;
      const hopeless = worker(a, 'w3', () => Promise.reject(new Error(`refused ${++tries}`)), { maxAttempts: 3 });
      await a.notifications.create(userId, null, draft('hopeless'), clock.now());
      for (let i = 0; i < 5; i++) {
        await hopeless.drain();
        await clock.advance(10_000);
      }
      assert.equal(tries, 3, 'three tries, then given up');
      assert.equal(await a.outbox.pending(), 0, 'the given-up row is done (failed), not pending for ever');
    });

    it('keeps no payload in a settled row: a link token it carried is gone once the email is sent', async (t) => {
      if (storage === undefined) return t.skip('PostgreSQL unreachable');
      const { a } = storage;
      await a.outbox.enqueue('account.email', { to: 'ana@home.example', link: 'https://easygas.example/#/reset-password?token=pr_secret' }, clock.now());
      const [claimed] = await a.outbox.claim('one', clock.now(), LEASE, 1);
      assert.ok(claimed !== undefined);
      assert.match(JSON.stringify((await a.outbox.row(claimed.id))?.payload), /pr_secret/, 'the token is there until the email is sent');
      assert.equal(await a.outbox.settle(claimed.id, 'one', 'delivered', null, clock.now()), true);
      const settled = await a.outbox.row(claimed.id);
      assert.deepEqual([settled?.kind, settled?.outcome, settled?.doneAt], ['account.email', 'delivered', clock.now()]);
      assert.doesNotMatch(JSON.stringify(settled?.payload), /pr_secret|ana@home/);
    });

    it('gives each row to exactly one of two workers draining at once', async (t) => {
      if (storage === undefined) return t.skip('PostgreSQL unreachable');
      const { a, b } = storage;
      const seen = new Map<string, string[]>();
      const record = (owner: string) => async (n: Notification) => {
        seen.set(n.title, [...(seen.get(n.title) ?? []), owner]);
        await new Promise((resolve) => setImmediate(resolve));
      };
      for (let i = 0; i < 40; i++) await a.notifications.create(userId, null, draft(`row ${i}`), clock.now());
      const one = worker(a, 'one', record('one'), { batch: 5, concurrency: 3 });
      const two = worker(b, 'two', record('two'), { batch: 5 });
      await Promise.all([one.drain(), two.drain(), one.drain(), two.drain()]);
      assert.equal(await a.outbox.pending(), 0);
      assert.equal(seen.size, 40);
      for (const [title, owners] of seen) assert.equal(owners.length, 1, `${title} delivered by ${owners.join(', ')}`);
      if (kind === 'postgres') assert.ok(new Set([...seen.values()].flat()).size === 2, 'both workers took rows');
    });

    it('leaves the rows of a worker that died to another once the lease runs out', async (t) => {
      if (storage === undefined) return t.skip('PostgreSQL unreachable');
      const { a, b } = storage;
      for (let i = 0; i < 3; i++) await a.notifications.create(userId, null, draft(`orphan ${i}`), clock.now());
      const held = await a.outbox.claim('dead-process', clock.now(), LEASE, 10);
      assert.equal(held.length, 3, 'the dead process held every row');
      const titles: string[] = [];
      const survivor = worker(b, 'survivor', (n) => Promise.resolve(void titles.push(n.title)));
      assert.equal(await survivor.drain(), 0, 'leased rows are not taken while the lease runs');
      await clock.advance(LEASE);
      await drainAll(survivor);
      assert.deepEqual(titles.sort(), ['orphan 0', 'orphan 1', 'orphan 2']);
      assert.equal(await a.outbox.settle(held[0]?.id ?? 0, 'dead-process', 'delivered', null, clock.now()), false, 'a late settle by the dead owner changes nothing');
    });

    it('runs each tick of a job in one of two runners', async (t) => {
      if (storage === undefined) return t.skip('PostgreSQL unreachable');
      const { a, b } = storage;
      let runs = 0;
      const job = () => Promise.resolve(void runs++);
      const name = `job-${randomUUID()}`;
      const runners = [a, b].map((repo, i) => new JobRunner(repo.jobs, clock, `runner-${i}`, new CloudMetrics(), silent));
      for (const r of runners) r.every(name, 1_000, job);
      for (let tick = 0; tick < 5; tick++) {
        const ran = await Promise.all(runners.map((r) => r.tick(name)));
        assert.equal(ran.filter(Boolean).length, 1, `tick ${tick}: one runner ran the job`);
        assert.equal(await Promise.all(runners.map((r) => r.tick(name))).then((again) => again.filter(Boolean).length), 0, 'not again within the interval');
        await clock.advance(1_000);
      }
      assert.equal(runs, 5);
      assert.equal(await a.jobs.runs(name), 5);
    });
  });
}
