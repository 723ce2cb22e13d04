/**
 * The storage contract of HTTP tank devices, on SQLite and PostgreSQL: one
 * credential per tank (re-issuing replaces it), and a reading id stored once per
 * tank, also when the same report arrives twice at once.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Repository } from '../repository.js';
import type { ContractTest } from './repository-contract.js';
import { tankDraft } from './orders-contract.js';
import { T0, seedUser } from './seed.js';

export function tankDevicesContract(test: ContractTest, repo: () => Repository): void {
  test('tank devices: a credential per tank, replaced when issued again; gone with the tank', async () => {
    const ann = await seedUser(repo());
    const tank = await repo().tanks.create(ann.id, randomUUID(), tankDraft(), T0);
    const first = `h-${randomUUID()}`;
    const second = `h-${randomUUID()}`;
    await repo().tankDevices.setCredential(tank.id, first, null, T0);
    assert.equal((await repo().tankDevices.byTokenHash(first))?.tank.id, tank.id);
    assert.equal((await repo().tankDevices.byTokenHash(first))?.geometry, null);
    await repo().tankDevices.setCredential(tank.id, second, { emptyDistanceMm: 1500, fullDistanceMm: 200 }, T0 + 1);
    assert.equal(await repo().tankDevices.byTokenHash(first), undefined, 'the old token stopped working');
    assert.deepEqual((await repo().tankDevices.byTokenHash(second))?.geometry, { emptyDistanceMm: 1500, fullDistanceMm: 200 });
    assert.equal(await repo().tanks.remove(ann.id, tank.id), true);
    assert.equal(await repo().tankDevices.byTokenHash(second), undefined);
  });

  test('tank devices: a reading id is stored once per tank, also under concurrent retries', async () => {
    const ann = await seedUser(repo());
    const tank = await repo().tanks.create(ann.id, randomUUID(), tankDraft(), T0);
    const other = await repo().tanks.create(ann.id, randomUUID(), tankDraft(), T0);
    const level = { at: T0, percent: 42, litres: 420, source: 'device' as const };
    const first = await repo().tankDevices.addReading(tank.id, 'r-1', level, T0);
    assert.deepEqual(first, { level, created: true });
    const retry = await repo().tankDevices.addReading(tank.id, 'r-1', { ...level, percent: 99 }, T0 + 5);
    assert.deepEqual(retry, { level, created: false }, 'the retry answers what was stored');
    const racing = await Promise.all([1, 2, 3].map(() => repo().tankDevices.addReading(tank.id, 'r-2', { ...level, at: T0 + 60_000 }, T0)));
    assert.equal(racing.filter((r) => r.created).length, 1, 'one of three concurrent retries stored it');
    assert.equal((await repo().tankDevices.addReading(other.id, 'r-1', level, T0)).created, true, 'reading ids are per tank');
    await repo().tanks.addLevel(tank.id, { at: T0 + 1, percent: 40, litres: 400, source: 'manual' }, T0);
    await repo().tanks.addLevel(tank.id, { at: T0 + 2, percent: 40, litres: 400, source: 'manual' }, T0);
    assert.deepEqual((await repo().tanks.levels(tank.id, T0, T0 + 120_000, 10)).map((l) => l.source), ['device', 'manual', 'manual', 'device']);
  });
}
