/**
 * The auto-order job on SQLite and PostgreSQL, with two API processes on one
 * database (two apps, each with its own connections and job runner; on SQLite the
 * second process shares the file): a tank drained
 * below its reorder level gets exactly one order, whether the two runners tick at
 * once (the job lease) or the job itself runs twice at once (the unique index over
 * a tank's open orders decides). A tank above its level whose forecast reaches it
 * within the supplier's lead time is ordered for too; one that does not, is not.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import { build } from '../../app.js';
import { openRepository } from '../../storage/open-repository.js';
import type { Repository } from '../../storage/repository.js';
import { announceSkip, freshPostgresSchema } from '../../storage/test-support/postgres.js';
import { tankDraft } from '../../storage/test-support/orders-contract.js';
import { FAST_SCRYPT, STORAGE_KINDS, type StorageKind } from '../../test-support/harness.js';
import { ManualServerClock } from '../../test-support/manual-clock.js';
import { TIERS } from '../../test-support/order-world.js';
import { AutoOrderJob } from './auto-order.js';

const HOUR = 3_600_000;

interface Cloud {
  readonly repos: Repository[];
  readonly apps: FastifyInstance[];
  readonly clock: ManualServerClock;
  close(): Promise<void>;
}

async function twoProcesses(storage: StorageKind): Promise<Cloud | string> {
  let url: string;
  let schema: string | undefined;
  let drop: () => Promise<void>;
  if (storage === 'postgres') {
    const got = await freshPostgresSchema();
    if (!got.ok) {
      announceSkip('auto-order on PostgreSQL', got.reason);
      return got.reason;
    }
    ({ url, schema } = got.fresh);
    drop = () => got.fresh.drop();
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'easygas-auto-order-'));
    url = join(dir, 'cloud.db');
    drop = () => Promise.resolve(rmSync(dir, { recursive: true, force: true }));
  }
  const clock = new ManualServerClock();
  const repos = [await openRepository(url, schema === undefined ? {} : { schema }), await openRepository(url, schema === undefined ? {} : { schema })];
  const apps = await Promise.all(repos.map((db) => build({ db, clock, sweeper: false, retention: false, autoOrder: true, passwordCost: FAST_SCRYPT, logger: pino({ level: 'silent' }) })));
  await Promise.all(apps.map((app) => app.ready()));
  return {
    repos,
    apps,
    clock,
    async close() {
      await Promise.all(apps.map((app) => app.close()));
      await Promise.all(repos.map((repo) => repo.close()));
      await drop();
    },
  };
}

for (const storage of STORAGE_KINDS) autoOrder(storage);

function autoOrder(storage: StorageKind): void {
  describe(`auto-order on ${storage}, two API processes`, () => {
    let cloud: Cloud | string;
    let repo: Repository;
    let supplierId: string;
    let userId: string;

    before(async () => {
      cloud = await twoProcesses(storage);
      if (typeof cloud === 'string') return;
      repo = cloud.repos[0] as Repository;
      const now = cloud.clock.now();
      const supplierUser = await repo.users.create({ id: randomUUID(), email: `s-${randomUUID()}@example.com`, passwordHash: 'x', name: 'Gas Co', role: 'supplier' }, now);
      const customer = await repo.users.create({ id: randomUUID(), email: `c-${randomUUID()}@example.com`, passwordHash: 'x', name: 'Ann', role: 'customer' }, now);
      assert.ok(supplierUser !== 'email_taken' && customer !== 'email_taken');
      userId = customer.id;
      const supplier = await repo.suppliers.create(
        { id: randomUUID(), userId: supplierUser.id, company: 'Gas Co', currency: 'GBP', leadTimeDays: 3, active: true, postalCodes: ['BA11AA'], prices: { lpg: TIERS } },
        now,
      );
      assert.ok(supplier !== 'user_taken');
      supplierId = supplier.id;
    });
    after(async () => {
      if (typeof cloud !== 'string') await cloud.close();
    });
    const test = (name: string, fn: (c: Cloud) => Promise<void>): void => {
      it(name, async (t) => {
        if (typeof cloud === 'string') return t.skip(cloud);
        await fn(cloud);
      });
    };

    /** A tank of Ann's with auto-order on, drained hour by hour from `start` % at `perDay` % a day to now. */
    async function drainedTank(c: Cloud, start: number, perDay: number, days: number): Promise<string> {
      const tank = await repo.tanks.create(userId, randomUUID(), tankDraft({ autoOrder: true, preferredSupplierId: supplierId, reorderLevel: 25 }), c.clock.now());
      const now = c.clock.now();
      for (let h = days * 24; h >= 0; h--) {
        const percent = start - (perDay * (days * 24 - h)) / 24;
        await repo.tanks.addLevel(tank.id, { at: now - h * HOUR, percent, litres: null, source: 'estimated' }, now);
      }
      return tank.id;
    }

    test('a tank drained below its reorder level gets one order, though both runners tick at once', async (c) => {
      const tankId = await drainedTank(c, 60, 8, 5); // 60 % → 20 %
      const ran = await Promise.all(c.apps.map((app) => app.cloud.jobs.tick('auto-order')));
      assert.deepEqual(ran.filter(Boolean).length, 1, 'one process took the tick');
      const orders = await repo.orders.list({ customerId: userId }, { tankId, limit: 10 });
      assert.equal(orders.length, 1);
      const [order] = orders;
      assert.deepEqual([order?.placedBy, order?.status, order?.supplierId, order?.litres], ['auto', 'placed', supplierId, 750], '95 % of 1000 L from 20 %');
      const notes = await repo.notifications.list(userId, { limit: 5 });
      assert.match(notes[0]?.title ?? '', /^Refill ordered automatically/);
      // The next tick finds the open order and places nothing.
      await c.clock.advance(16 * 60_000);
      await Promise.all(c.apps.map((app) => app.cloud.jobs.tick('auto-order')));
      assert.equal((await repo.orders.list({ customerId: userId }, { tankId, limit: 10 })).length, 1);
    });

    test('the job run twice at once (lease bypassed): the unique index lets exactly one order in', async (c) => {
      for (let round = 0; round < 3; round++) {
        const tankId = await drainedTank(c, 50, 10, 3); // 50 % → 20 %
        // SQLite is one API process per file (its writes are one synchronous connection): there the two
        // runs interleave in one process; PostgreSQL takes them on two processes' connections.
        const repos = storage === 'postgres' ? c.repos : [repo, repo];
        const jobs = repos.map((r) => new AutoOrderJob(r, c.clock, pino({ level: process.env.SHOW_RUNS ? 'warn' : 'silent' })));
        const runs = await Promise.all(jobs.map((job) => job.run()));
        assert.equal((await repo.orders.list({ customerId: userId }, { tankId, limit: 10 })).length, 1);
        assert.equal(runs.reduce((n, r) => n + r.placed, 0), 1, JSON.stringify(runs));
        assert.ok(runs.every((r) => r.placed + r.alreadyOpen >= 1), `the other run found the open order: ${JSON.stringify(runs)}`);
        const open = await repo.orders.openForTank(tankId);
        assert.ok(open !== undefined);
        // Close it, so later rounds and tests see only their own tank due.
        await repo.orders.transition({ customerId: userId }, open.id, { expected: 'placed', to: 'cancelled', action: 'cancel', by: 'customer', byUserId: userId, notes: null, fields: {} }, c.clock.now());
        await repo.tanks.update(userId, tankId, tankDraft({ autoOrder: false }), c.clock.now());
      }
    });

    test('above the reorder level: ordered when the forecast reaches it within the lead time, not otherwise', async (c) => {
      const soon = await drainedTank(c, 70, 3, 14); // 28 %, 3 %/day: reaches 25 % in a day < 3 days lead time
      const later = await drainedTank(c, 95, 0.5, 14); // 88 %, 0.5 %/day: months away
      const run = await new AutoOrderJob(repo, c.clock, pino({ level: 'silent' })).run();
      assert.ok(run.placed >= 1);
      assert.equal((await repo.orders.list({ customerId: userId }, { tankId: soon, limit: 10 })).length, 1);
      assert.equal((await repo.orders.list({ customerId: userId }, { tankId: later, limit: 10 })).length, 0);
    });
  });
}
