/** The ingest and query half of the repository contract. */
import assert from 'node:assert/strict';
import type { Repository } from '../repository.js';
import { GatewayGoneError } from '../repository.js';
import type { ContractTest } from './repository-contract.js';
import { T0, batch, event, notifyNothing, notifyRaised, reading, seedGateway, seedUser } from './seed.js';

export function ingestContract(test: ContractTest, repo: () => Repository): void {
  test('ingest stores each record once; a resend is all duplicates; the ack is the watermark', async () => {
    const owner = await seedUser(repo());
    const gw = await seedGateway(repo(), owner);
    const b = batch(0, 4, [reading(1), reading(2), event(3), reading(4, { sensorId: 'roof-tank', sensorKind: 'level', unit: '%' })]);
    const first = await repo().ingest.ingest(gw.id, b, T0, notifyRaised);
    assert.deepEqual([first.ackedSeq, first.stored, first.duplicates, first.readingsStored, first.eventsStored], [4, 4, 0, 3, 1]);
    assert.equal(first.notifications.length, 1);
    const again = await repo().ingest.ingest(gw.id, b, T0 + 1, notifyRaised);
    assert.deepEqual([again.ackedSeq, again.stored, again.duplicates, again.notifications.length], [4, 0, 4, 0]);
    assert.equal((await repo().notifications.list(owner.id, { limit: 10 })).length, 1, 'a resent alarm notifies once');
    assert.equal((await repo().gateways.get(owner.id, gw.id))?.ackedSeq, 4);
    const sensors = await repo().readings.listSensors(owner.id);
    assert.deepEqual(sensors.map((s) => [s.sensorId, s.kind, s.unit]), [['lpg', 'level', '%'], ['roof-tank', 'level', '%']]);
    assert.equal(sensors[0]?.lastReadingAt, T0 + 2 * 60_000);
  });

  test('a batch beyond a gap is stored but holds the watermark until the gap is filled', async () => {
    const gw = await seedGateway(repo(), await seedUser(repo()));
    const ahead = await repo().ingest.ingest(gw.id, batch(10, 20, [reading(15), reading(20)]), T0, notifyNothing);
    assert.deepEqual([ahead.ackedSeq, ahead.stored], [0, 2]);
    const further = await repo().ingest.ingest(gw.id, batch(20, 30, [reading(25)]), T0, notifyNothing);
    assert.equal(further.ackedSeq, 0);
    const fill = await repo().ingest.ingest(gw.id, batch(0, 10, [reading(3), reading(9)]), T0, notifyNothing);
    assert.equal(fill.ackedSeq, 30, 'the remembered ranges are absorbed once contiguous');
    const empty = await repo().ingest.ingest(gw.id, batch(30, 1000, []), T0, notifyNothing);
    assert.equal(empty.ackedSeq, 1000, 'an empty range (a reserved block) moves the watermark too');
    const behind = await repo().ingest.ingest(gw.id, batch(0, 5, [reading(3)]), T0, notifyNothing);
    assert.deepEqual([behind.ackedSeq, behind.duplicates], [1000, 1], 'an old resend never moves it back');
  });

  test('a downsampled summary replaces the raw rows it stands for, and late raw rows stay out', async () => {
    const owner = await seedUser(repo());
    const gw = await seedGateway(repo(), owner);
    // The cloud got raw rows 1..6 (lpg on odd seqs, gas interleaved), but the ack was lost.
    const raw = [1, 2, 3, 4, 5, 6].map((seq) =>
      seq % 2 === 1 ? reading(seq, { value: 40 + seq, percent: 40 + seq }) : reading(seq, { sensorId: 'kitchen-gas', sensorKind: 'gas', unit: '%LEL', value: 0, percent: undefined, litres: undefined }),
    );
    await repo().ingest.ingest(gw.id, batch(0, 6, raw), T0, notifyNothing);
    // Under disk pressure the gateway merged lpg 1, 3, 5 into one row at seq 1 and resends.
    const summary = reading(1, { value: 44, percent: 44, downsampled: { seqEnd: 5, atEnd: T0 + 5 * 60_000, count: 3, min: 41, max: 45 } });
    const resend = await repo().ingest.ingest(gw.id, batch(0, 6, [summary, raw[1]!, raw[3]!, raw[5]!]), T0 + 1, notifyNothing);
    assert.deepEqual([resend.stored, resend.duplicates, resend.ackedSeq], [1, 3, 6]);
    const lpg = await repo().readings.sensor(owner.id, `${gw.id}:lpg`);
    assert.ok(lpg);
    const history = await repo().readings.history(lpg.key, T0, T0 + 3_600_000, 3_600_000);
    assert.deepEqual(history, [{ at: Math.floor(T0 / 3_600_000) * 3_600_000, min: 41, avg: 44, max: 45, count: 3 }]);
    // A delayed copy of the original raw batch arrives last: nothing is counted twice.
    const late = await repo().ingest.ingest(gw.id, batch(0, 6, raw), T0 + 2, notifyNothing);
    assert.deepEqual([late.stored, late.duplicates], [0, 6]);
    assert.deepEqual(await repo().readings.history(lpg.key, T0, T0 + 3_600_000, 3_600_000), history);
  });

  test('latest, bucketed history (count-weighted) and the level series', async () => {
    const owner = await seedUser(repo());
    const gw = await seedGateway(repo(), owner);
    const hour = 3_600_000;
    const base = Math.floor(T0 / hour) * hour;
    const records = [
      reading(1, { at: base + 1, value: 10, percent: 10, litres: 2 }),
      reading(2, { at: base + 2, value: 20, percent: 20, litres: 4, quality: 'noisy' }),
      reading(3, { at: base + hour, value: 30, percent: 30, litres: 6, downsampled: { seqEnd: 9, atEnd: base + hour + 10, count: 3, min: 25, max: 35 } }),
      reading(10, { at: base + hour + 20, value: 50, percent: 50, litres: 10, clockSynced: false }),
    ];
    await repo().ingest.ingest(gw.id, batch(0, 10, records), T0, notifyNothing);
    const sensor = await repo().readings.sensor(owner.id, `${gw.id}:lpg`);
    assert.ok(sensor);
    const latest = await repo().readings.latest(sensor.key);
    assert.deepEqual(latest, { seq: 10, at: base + hour + 20, value: 50, unit: '%', raw: null, percent: 50, litres: 10, ppm: null, quality: 'ok', clockSynced: false, downsampled: null });
    const history = await repo().readings.history(sensor.key, base, base + 2 * hour, hour);
    assert.deepEqual(history, [
      { at: base, min: 10, avg: 15, max: 20, count: 2 },
      { at: base + hour, min: 25, avg: 35, max: 50, count: 4 },
    ]);
    assert.deepEqual(await repo().readings.history(sensor.key, base + 2 * hour, base + 3 * hour, hour), []);
    const levels = await repo().readings.levelSeries(sensor.key, base, base + 2 * hour, hour);
    assert.deepEqual(levels, [
      { at: base, percent: 10, litres: 2 },
      { at: base + hour, percent: 35, litres: 7 },
    ], 'only ok readings, weighted by count');
  });

  test('sensor lookups are by cloud id and owner', async () => {
    const owner = await seedUser(repo());
    const stranger = await seedUser(repo());
    const gw = await seedGateway(repo(), owner);
    await repo().ingest.ingest(gw.id, batch(0, 1, [reading(1)]), T0, notifyNothing);
    assert.equal((await repo().readings.sensor(owner.id, `${gw.id}:lpg`))?.kind, 'level');
    assert.equal(await repo().readings.sensor(stranger.id, `${gw.id}:lpg`), undefined);
    assert.equal(await repo().readings.sensor(owner.id, `${gw.id}:nope`), undefined);
    assert.equal(await repo().readings.sensor(owner.id, 'garbage'), undefined);
  });

  test('concurrent batches of one gateway keep exact counts and a contiguous watermark', async () => {
    const gw = await seedGateway(repo(), await seedUser(repo()));
    const batches = Array.from({ length: 8 }, (_, i) => batch(i * 50, i * 50 + 50, Array.from({ length: 50 }, (_, j) => reading(i * 50 + j + 1))));
    const outcomes = await Promise.all([...batches, ...batches].map((b) => repo().ingest.ingest(gw.id, b, T0, notifyNothing)));
    assert.equal(outcomes.reduce((n, o) => n + o.stored, 0), 400);
    assert.equal(outcomes.reduce((n, o) => n + o.duplicates, 0), 400);
    assert.equal(Math.max(...outcomes.map((o) => o.ackedSeq)), 400);
  });

  test('gateway-side calls for a deleted gateway fail with GatewayGoneError', async () => {
    const owner = await seedUser(repo());
    const gw = await seedGateway(repo(), owner);
    await repo().gateways.remove(owner.id, gw.id);
    await assert.rejects(repo().ingest.ingest(gw.id, batch(0, 1, [reading(1)]), T0, notifyNothing), GatewayGoneError);
    const hb = { version: '1', uptimeSeconds: 1, clock: { synced: true }, backlog: { records: 0 }, sensors: [] };
    await assert.rejects(repo().gateways.heartbeat(gw.id, hb, T0, notifyNothing), GatewayGoneError);
    await assert.rejects(repo().alerts.deviceConfig(gw.id), GatewayGoneError);
    await assert.rejects(repo().alerts.putCalibrations(gw.id, {}, T0), GatewayGoneError);
  });
}
