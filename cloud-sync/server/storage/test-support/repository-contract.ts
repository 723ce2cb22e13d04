/**
 * The contract every Repository implementation keeps, run against SQLite and
 * PostgreSQL alike (storage/*\/…-repository.test.ts). Tests share one database per
 * run, so each seeds its own users and gateways and looks only at those.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Repository } from '../repository.js';
import { ingestContract } from './ingest-contract.js';
import { ordersContract } from './orders-contract.js';
import { rollupContract } from './rollup-contract.js';
import { tankDevicesContract } from './tank-devices-contract.js';
import { T0, batch, event, notifyRaised, reading, seedGateway, seedUser } from './seed.js';

export interface RepositoryFactory {
  /** Opens the repository for the run, or returns a reason to skip it. */
  open(): Promise<Repository | { skip: string }>;
  close(repo: Repository): Promise<void>;
}

export function runRepositoryContract(label: string, factory: RepositoryFactory): void {
  const state: { repo?: Repository; skip?: string } = {};
  const repo = (): Repository => {
    if (state.repo === undefined) throw new Error('repository not open');
    return state.repo;
  };
  describe(`Repository contract: ${label}`, () => {
    before(async () => {
      const opened = await factory.open();
      if ('skip' in opened) state.skip = opened.skip;
      else state.repo = opened;
    });
    after(async () => {
      if (state.repo !== undefined) await factory.close(state.repo);
    });
    const test = (name: string, fn: () => Promise<void>): void => {
      it(name, async (t) => {
        if (state.skip !== undefined) {
          t.skip(state.skip);
          return;
        }
        await fn();
      });
    };
    accountContract(test, repo);
    gatewayContract(test, repo);
    ingestContract(test, repo);
    alertContract(test, repo);
    rollupContract(test, repo);
    transactionContract(test, repo);
    ordersContract(test, repo);
    tankDevicesContract(test, repo);
  });
}

export type ContractTest = (name: string, fn: () => Promise<void>) => void;

function accountContract(test: ContractTest, repo: () => Repository): void {
  test('users: unique email, case-insensitive; update; preferences', async () => {
    const id = randomUUID();
    const email = `Mixed.${id}@Example.com`;
    const user = await repo().users.create({ id, email, passwordHash: 'h', name: 'Ann', role: 'supplier' }, T0);
    assert.notEqual(user, 'email_taken');
    assert.equal((await repo().users.create({ id: randomUUID(), email: email.toUpperCase(), passwordHash: 'h', name: 'B', role: 'customer' }, T0)), 'email_taken');
    const found = await repo().users.byEmail(email.toLowerCase());
    assert.equal(found?.id, id);
    assert.equal(found?.role, 'supplier');
    assert.equal(found?.preferences.minSeverity, 'warning');
    const other = await seedUser(repo());
    assert.equal(await repo().users.update(id, { email: other.email }, T0 + 1), 'email_taken');
    const updated = await repo().users.update(id, { name: 'Ann B', phone: '+44 7700 900000' }, T0 + 2);
    assert.ok(updated !== 'email_taken' && updated !== undefined);
    assert.equal(updated.name, 'Ann B');
    assert.equal(updated.phone, '+44 7700 900000');
    assert.equal(updated.updatedAt, T0 + 2);
    const prefs = { email: false, push: true, minSeverity: 'critical' as const, deviceOffline: false };
    assert.deepEqual(await repo().users.setPreferences(id, prefs, T0 + 3), prefs);
    assert.deepEqual((await repo().users.byId(id))?.preferences, prefs);
    assert.equal(await repo().users.byId(randomUUID()), undefined);
    assert.equal(await repo().users.setPreferences(randomUUID(), prefs, T0), undefined);
  });

  test('refresh tokens rotate; a reused one revokes its whole family', async () => {
    const user = await seedUser(repo());
    const family = randomUUID();
    await repo().tokens.addRefreshToken({ id: randomUUID(), userId: user.id, familyId: family, tokenHash: `a-${family}`, expiresAt: T0 + 1000 }, T0);
    const first = await repo().tokens.rotateRefreshToken(`a-${family}`, { id: randomUUID(), tokenHash: `b-${family}`, expiresAt: T0 + 2000 }, T0 + 1);
    assert.deepEqual(first, { kind: 'rotated', userId: user.id, familyId: family });
    const reuse = await repo().tokens.rotateRefreshToken(`a-${family}`, { id: randomUUID(), tokenHash: `c-${family}`, expiresAt: T0 + 2000 }, T0 + 2);
    assert.deepEqual(reuse, { kind: 'reused', userId: user.id, familyId: family });
    const afterReuse = await repo().tokens.rotateRefreshToken(`b-${family}`, { id: randomUUID(), tokenHash: `d-${family}`, expiresAt: T0 + 2000 }, T0 + 3);
    assert.deepEqual(afterReuse, { kind: 'invalid', reason: 'revoked' }, 'the thief’s fresh token dies with the family');
    assert.deepEqual(await repo().tokens.rotateRefreshToken('nope', { id: randomUUID(), tokenHash: 'x', expiresAt: 1 }, T0), { kind: 'invalid', reason: 'unknown' });
    await repo().tokens.addRefreshToken({ id: randomUUID(), userId: user.id, familyId: randomUUID(), tokenHash: `old-${family}`, expiresAt: T0 }, T0 - 10);
    assert.deepEqual(await repo().tokens.rotateRefreshToken(`old-${family}`, { id: randomUUID(), tokenHash: `e-${family}`, expiresAt: T0 + 9 }, T0), {
      kind: 'invalid',
      reason: 'expired',
    });
  });

  test('a password change bumps the token version and revokes every refresh token', async () => {
    const user = await seedUser(repo());
    const family = randomUUID();
    await repo().tokens.addRefreshToken({ id: randomUUID(), userId: user.id, familyId: family, tokenHash: `p-${family}`, expiresAt: T0 + 1000 }, T0);
    assert.equal(await repo().users.changePassword(user.id, 'new-hash', T0 + 1), 1);
    assert.equal((await repo().users.byId(user.id))?.passwordHash, 'new-hash');
    assert.deepEqual(await repo().tokens.rotateRefreshToken(`p-${family}`, { id: randomUUID(), tokenHash: `q-${family}`, expiresAt: T0 + 9 }, T0 + 2), {
      kind: 'invalid',
      reason: 'revoked',
    });
  });

  test('sign-out revokes one family: its current token stops, other sign-ins go on', async () => {
    const user = await seedUser(repo());
    const [mine, other] = [randomUUID(), randomUUID()];
    await repo().tokens.addRefreshToken({ id: randomUUID(), userId: user.id, familyId: mine, tokenHash: `m1-${mine}`, expiresAt: T0 + 1000 }, T0);
    await repo().tokens.addRefreshToken({ id: randomUUID(), userId: user.id, familyId: other, tokenHash: `o1-${other}`, expiresAt: T0 + 1000 }, T0);
    await repo().tokens.rotateRefreshToken(`m1-${mine}`, { id: randomUUID(), tokenHash: `m2-${mine}`, expiresAt: T0 + 1000 }, T0 + 1);
    assert.equal(await repo().tokens.revokeFamily(`m2-${mine}`, T0 + 2), true);
    assert.equal(await repo().tokens.revokeFamily(`m2-${mine}`, T0 + 3), true, 'signing out twice is harmless');
    assert.equal(await repo().tokens.revokeFamily('unknown', T0 + 3), false);
    const next = { id: randomUUID(), tokenHash: `x-${mine}`, expiresAt: T0 + 1000 };
    assert.deepEqual(await repo().tokens.rotateRefreshToken(`m2-${mine}`, next, T0 + 4), { kind: 'invalid', reason: 'revoked' });
    const otherNext = { id: randomUUID(), tokenHash: `o2-${other}`, expiresAt: T0 + 1000 };
    assert.equal((await repo().tokens.rotateRefreshToken(`o1-${other}`, otherNext, T0 + 5)).kind, 'rotated');
  });

  test('settings: a secret is created once and then kept', async () => {
    const name = `secret-${randomUUID()}`;
    const first = await repo().settings.secret(name, () => 'one');
    assert.equal(first, 'one');
    assert.equal(await repo().settings.secret(name, () => 'two'), 'one');
  });
}

function gatewayContract(test: ContractTest, repo: () => Repository): void {
  test('claim codes are one-time and expire', async () => {
    const user = await seedUser(repo());
    await repo().tokens.addClaimCode({ codeHash: `c-${user.id}`, userId: user.id, expiresAt: T0 + 1000 }, T0);
    const gw = { id: randomUUID(), fallbackId: randomUUID(), name: 'Pi', version: null, credentialHash: `k-${user.id}` };
    const claimed = await repo().gateways.registerWithClaimCode(`c-${user.id}`, gw, T0 + 10);
    assert.equal(claimed?.userId, user.id);
    assert.equal(claimed?.credentialActive, true);
    assert.equal(claimed?.presence, 'unknown');
    assert.equal(await repo().gateways.registerWithClaimCode(`c-${user.id}`, { ...gw, id: randomUUID(), credentialHash: 'k2' }, T0 + 20), undefined);
    await repo().tokens.addClaimCode({ codeHash: `late-${user.id}`, userId: user.id, expiresAt: T0 + 1000 }, T0);
    assert.equal(await repo().gateways.registerWithClaimCode(`late-${user.id}`, { ...gw, id: randomUUID(), credentialHash: 'k3' }, T0 + 1000), undefined);
  });

  test("a gateway keeps its own id; one another gateway already has gets the fallback", async () => {
    const user = await seedUser(repo());
    const own = `pi-${randomUUID()}`;
    await repo().tokens.addClaimCode({ codeHash: `a-${user.id}`, userId: user.id, expiresAt: T0 + 1000 }, T0);
    await repo().tokens.addClaimCode({ codeHash: `b-${user.id}`, userId: user.id, expiresAt: T0 + 1000 }, T0);
    const first = await repo().gateways.registerWithClaimCode(`a-${user.id}`, { id: own, fallbackId: randomUUID(), name: 'Pi', version: null, credentialHash: `ka-${user.id}` }, T0 + 10);
    assert.equal(first?.id, own);
    const fallbackId = randomUUID();
    const second = await repo().gateways.registerWithClaimCode(`b-${user.id}`, { id: own, fallbackId, name: 'Pi 2', version: null, credentialHash: `kb-${user.id}` }, T0 + 20);
    assert.equal(second?.id, fallbackId);
  });

  test('gateways belong to their owner: list, get, rename, credential, remove', async () => {
    const owner = await seedUser(repo());
    const stranger = await seedUser(repo());
    const gw = await seedGateway(repo(), owner);
    assert.deepEqual((await repo().gateways.list(owner.id)).map((g) => g.id), [gw.id]);
    assert.deepEqual(await repo().gateways.list(stranger.id), []);
    assert.equal(await repo().gateways.get(stranger.id, gw.id), undefined);
    assert.equal(await repo().gateways.rename(stranger.id, gw.id, 'Mine now', T0), undefined);
    assert.equal((await repo().gateways.rename(owner.id, gw.id, 'Garage Pi', T0 + 1))?.name, 'Garage Pi');
    assert.deepEqual(await repo().gateways.byCredential(gw.credentialHash), { id: gw.id, userId: owner.id });
    assert.equal(await repo().gateways.setCredential(stranger.id, gw.id, null, T0), false);
    assert.equal(await repo().gateways.setCredential(owner.id, gw.id, null, T0), true);
    assert.equal(await repo().gateways.byCredential(gw.credentialHash), undefined);
    assert.equal((await repo().gateways.get(owner.id, gw.id))?.credentialActive, false);
    assert.equal(await repo().gateways.remove(stranger.id, gw.id), false);
    assert.equal(await repo().gateways.remove(owner.id, gw.id), true);
    assert.equal(await repo().gateways.get(owner.id, gw.id), undefined);
  });

  test('removing a gateway removes its sensors, readings, events and rules', async () => {
    const owner = await seedUser(repo());
    const gw = await seedGateway(repo(), owner);
    await repo().ingest.ingest(gw.id, batch(0, 2, [reading(1), event(2)]), T0, notifyRaised);
    const sensor = await repo().readings.sensor(owner.id, `${gw.id}:lpg`);
    assert.ok(sensor);
    await repo().alerts.create(owner.id, sensor, randomUUID(), { type: 'low_level', params: { warningPercent: 20, criticalPercent: 10 }, name: null, enabled: true, notify: [] }, T0);
    assert.equal((await repo().notifications.list(owner.id, { limit: 10 })).length, 1);
    assert.equal(await repo().gateways.remove(owner.id, gw.id), true);
    assert.deepEqual(await repo().readings.listSensors(owner.id), []);
    assert.deepEqual(await repo().alerts.list(owner.id), []);
    assert.deepEqual(await repo().notifications.list(owner.id, { limit: 10 }), []);
    assert.equal(await repo().readings.latest(sensor.key), undefined);
  });

  test('heartbeats keep status and sensors; silence flips a gateway offline once, and back', async () => {
    const owner = await seedUser(repo());
    const gw = await seedGateway(repo(), owner);
    const hb = {
      version: '0.2.0',
      uptimeSeconds: 3600,
      clock: { synced: true },
      backlog: { records: 12, oldestAt: T0 - 5000 },
      sensors: [{ id: 'lpg', name: 'LPG cylinder', kind: 'level' as const, health: 'ok' as const, lastReadingAt: T0 - 1000, value: 40, unit: '%' }],
    };
    const first = await repo().gateways.heartbeat(gw.id, hb, T0, notifyRaised);
    assert.deepEqual(first, { ackedSeq: 0, configVersion: 0 });
    const status = await repo().gateways.status(owner.id, gw.id);
    assert.equal(status?.gateway.presence, 'online');
    assert.equal(status?.gateway.version, '0.2.0');
    assert.deepEqual(status?.heartbeat, { receivedAt: T0, version: '0.2.0', uptimeSeconds: 3600, clockSynced: true, backlog: { records: 12, oldestAt: T0 - 5000 } });
    assert.deepEqual(status?.sensors.map((s) => [s.id, s.name, s.kind, s.health, s.unit, s.lastReadingAt]), [[`${gw.id}:lpg`, 'LPG cylinder', 'level', 'ok', '%', T0 - 1000]]);

    const flipped = await repo().gateways.markOffline(T0 + 1, T0 + 180_000, notifyRaised);
    const mine = flipped.filter((c) => c.gatewayId === gw.id);
    assert.equal(mine.length, 1);
    assert.equal(mine[0]?.presence, 'offline');
    assert.equal(mine[0]?.notifications[0]?.type, 'device_offline');
    assert.equal((await repo().gateways.markOffline(T0 + 1, T0 + 200_000, notifyRaised)).filter((c) => c.gatewayId === gw.id).length, 0);
    const back = await repo().gateways.heartbeat(gw.id, hb, T0 + 300_000, notifyRaised);
    assert.equal(back.cameOnline?.presence, 'online');
    const events = await repo().gateways.events(owner.id, gw.id, { limit: 10 });
    assert.deepEqual(events?.map((e) => [e.type, e.source, e.seq]), [['device_online', 'cloud', null], ['device_offline', 'cloud', null]]);
    assert.equal(await repo().gateways.events((await seedUser(repo())).id, gw.id, { limit: 10 }), undefined);
  });
}

function alertContract(test: ContractTest, repo: () => Repository): void {
  test('rules: every change bumps the gateway config version; the config lists them by local sensor id', async () => {
    const owner = await seedUser(repo());
    const stranger = await seedUser(repo());
    const gw = await seedGateway(repo(), owner);
    await repo().ingest.ingest(gw.id, batch(0, 1, [reading(1)]), T0, notifyRaised);
    const sensor = await repo().readings.sensor(owner.id, `${gw.id}:lpg`);
    assert.ok(sensor);
    const draft = { type: 'low_level' as const, params: { warningPercent: 25, criticalPercent: 10 }, name: 'Low LPG', enabled: true, notify: ['push' as const] };
    const rule = await repo().alerts.create(owner.id, sensor, randomUUID(), draft, T0);
    assert.equal(rule.sensorId, sensor.id);
    assert.equal(rule.gatewayId, gw.id);
    let config = await repo().alerts.deviceConfig(gw.id);
    assert.equal(config.version, 1);
    assert.deepEqual(config.rules, [{ id: rule.id, sensorId: 'lpg', enabled: true, updatedAt: T0, type: 'low_level', params: { warningPercent: 25, criticalPercent: 10 } }]);
    assert.equal(await repo().alerts.get(stranger.id, rule.id), undefined);
    assert.equal(await repo().alerts.update(stranger.id, rule.id, draft, T0), undefined);
    assert.equal(await repo().alerts.remove(stranger.id, rule.id, T0), false);
    assert.deepEqual(await repo().alerts.list(stranger.id), []);
    const updated = await repo().alerts.update(owner.id, rule.id, { ...draft, enabled: false }, T0 + 5);
    assert.equal(updated?.enabled, false);
    assert.equal(updated?.updatedAt, T0 + 5);
    assert.equal((await repo().alerts.deviceConfig(gw.id)).version, 2);
    assert.deepEqual((await repo().alerts.list(owner.id, sensor.id)).map((r) => r.id), [rule.id]);
    assert.equal(await repo().alerts.remove(owner.id, rule.id, T0 + 6), true);
    config = await repo().alerts.deviceConfig(gw.id);
    assert.equal(config.version, 3);
    assert.deepEqual(config.rules, []);
  });

  test('calibrations: the newer entry wins and only a change bumps the version', async () => {
    const owner = await seedUser(repo());
    const gw = await seedGateway(repo(), owner);
    const entry = { calibration: { type: 'offset' as const, scale: 1, offset: -0.4 }, updatedAt: T0 };
    assert.deepEqual(await repo().alerts.putCalibrations(gw.id, { temp: entry }, T0), { version: 1, changed: 1 });
    assert.deepEqual(await repo().alerts.putCalibrations(gw.id, { temp: entry }, T0 + 1), { version: 1, changed: 0 });
    const older = { calibration: { type: 'identity' as const }, updatedAt: T0 - 1 };
    assert.deepEqual(await repo().alerts.putCalibrations(gw.id, { temp: older }, T0 + 2), { version: 1, changed: 0 });
    const newer = { calibration: { type: 'offset' as const, scale: 1, offset: 0.2 }, updatedAt: T0 + 10 };
    assert.deepEqual(await repo().alerts.putCalibrations(gw.id, { temp: newer }, T0 + 3), { version: 2, changed: 1 });
    assert.deepEqual((await repo().alerts.deviceConfig(gw.id)).calibrations, { temp: newer });
  });

  test('notifications: newest first, unread filter, mark read, owner only', async () => {
    const owner = await seedUser(repo());
    const stranger = await seedUser(repo());
    const gw = await seedGateway(repo(), owner);
    const draft = { type: 'test', severity: 'info' as const, title: 'T', message: 'M', channels: [], sensorId: 'lpg', ruleId: null, eventAt: T0 };
    const a = await repo().notifications.create(owner.id, gw.id, draft, T0);
    const b = await repo().notifications.create(owner.id, null, { ...draft, sensorId: null }, T0 + 1);
    assert.equal(a.sensorId, `${gw.id}:lpg`);
    assert.equal(a.gatewayId, gw.id);
    assert.equal(b.gatewayId, null);
    assert.deepEqual((await repo().notifications.list(owner.id, { limit: 10 })).map((n) => n.id), [b.id, a.id]);
    assert.deepEqual((await repo().notifications.list(owner.id, { limit: 10, before: T0 + 1 })).map((n) => n.id), [a.id]);
    assert.equal(await repo().notifications.markRead(stranger.id, a.id, T0 + 2), undefined);
    assert.equal((await repo().notifications.markRead(owner.id, a.id, T0 + 2))?.readAt, T0 + 2);
    assert.equal((await repo().notifications.markRead(owner.id, a.id, T0 + 9))?.readAt, T0 + 2, 'first read time is kept');
    assert.deepEqual((await repo().notifications.list(owner.id, { limit: 10, unreadOnly: true })).map((n) => n.id), [b.id]);
    assert.deepEqual(await repo().notifications.list(stranger.id, { limit: 10 }), []);
  });

  test('notifications: mark all read touches only the unread of that user, keeping earlier read times', async () => {
    const owner = await seedUser(repo());
    const stranger = await seedUser(repo());
    const draft = { type: 'test', severity: 'info' as const, title: 'T', message: 'M', channels: [], sensorId: null, ruleId: null, eventAt: T0 };
    const read = await repo().notifications.create(owner.id, null, draft, T0);
    await repo().notifications.markRead(owner.id, read.id, T0 + 1);
    await repo().notifications.create(owner.id, null, draft, T0 + 2);
    await repo().notifications.create(owner.id, null, draft, T0 + 3);
    const theirs = await repo().notifications.create(stranger.id, null, draft, T0 + 4);
    assert.equal(await repo().notifications.markAllRead(owner.id, T0 + 5), 2);
    assert.equal(await repo().notifications.markAllRead(owner.id, T0 + 6), 0);
    const mine = await repo().notifications.list(owner.id, { limit: 10 });
    assert.deepEqual(mine.map((n) => n.readAt), [T0 + 5, T0 + 5, T0 + 1]);
    assert.deepEqual((await repo().notifications.list(stranger.id, { limit: 10 })).map((n) => [n.id, n.readAt]), [[theirs.id, null]]);
  });

  test('ping answers while the database is up', async () => {
    await repo().ping();
  });
}

function transactionContract(test: ContractTest, repo: () => Repository): void {
  test('transaction: several repository calls commit together or not at all, and nested writes join', async () => {
    const owner = await seedUser(repo());
    const gw = await seedGateway(repo(), owner);
    const draft = { type: 'test', severity: 'info' as const, title: 'T', message: 'M', channels: [], sensorId: null, ruleId: null, eventAt: T0 };
    await assert.rejects(
      repo().transaction(async (tx) => {
        await tx.gateways.rename(owner.id, gw.id, 'Renamed in a failed transaction', T0 + 1);
        await tx.notifications.create(owner.id, gw.id, draft, T0 + 1);
        await tx.users.changePassword(owner.id, 'new-hash', T0 + 1);
        assert.equal((await tx.gateways.get(owner.id, gw.id))?.name, 'Renamed in a failed transaction', 'a transaction sees its own writes');
        throw new Error('changed my mind');
      }),
      /changed my mind/,
    );
    assert.equal((await repo().gateways.get(owner.id, gw.id))?.name, 'Kitchen Pi');
    assert.deepEqual(await repo().notifications.list(owner.id, { limit: 10 }), []);
    assert.equal((await repo().users.byId(owner.id))?.tokenVersion, 0, 'the nested transaction of changePassword rolled back too');
    const made = await repo().transaction(async (tx) => {
      await tx.gateways.rename(owner.id, gw.id, 'Garage Pi', T0 + 2);
      return tx.notifications.create(owner.id, gw.id, draft, T0 + 2);
    });
    assert.equal((await repo().gateways.get(owner.id, gw.id))?.name, 'Garage Pi');
    assert.deepEqual((await repo().notifications.list(owner.id, { limit: 10 })).map((n) => n.id), [made.id]);
  });
}
