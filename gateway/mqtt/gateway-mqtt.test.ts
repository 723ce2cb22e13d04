/**
 * The MQTT service over a fake link: what it publishes and when, what it does
 * with commands and Home Assistant's birth, and that nothing it meets (a failing
 * link, a broker that never answers) reaches the alarm path.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { silentLogger } from '../../hardware/logger.js';
import { ManualClock } from '../../hardware/sim/manual-clock.js';
import { AlarmController } from '../alarms/alarm-controller.js';
import type { ConditionEvent, Health, RawSample, Reading } from '../pipeline/types.js';
import type { HubConsumer, SensorSnapshot } from '../sampling/sensor-hub.js';
import type { DiscoverySensor } from './discovery.js';
import { GatewayMqtt } from './gateway-mqtt.js';
import type { LinkHandlers, LinkStatus, MqttLink } from './mqtt-link.js';
import { NodeReadings } from './node-readings.js';
import type { OutgoingMessage } from './publish-queue.js';
import { readLedger, writeLedger } from './retained-ledger.js';
import { MqttTopics } from './topics.js';

const dir = mkdtempSync(join(tmpdir(), 'easygas-gateway-mqtt-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const topics = new MqttTopics({ baseTopic: 'easygas', gatewayId: 'gw', discoveryPrefix: 'homeassistant' });
const SENSORS: DiscoverySensor[] = [
  { id: 'gas', name: 'Gas', kind: 'gas', model: 'm', hasLitres: false, hasPpm: false, hasDistance: false, conditions: ['gas', 'sensor_fault'] },
  { id: 'leak', name: 'Leak', kind: 'leak', model: 'm', hasLitres: false, hasPpm: false, hasDistance: false, conditions: ['water_leak', 'sensor_fault'] },
];

/** A link that records what is sent and acknowledges it at once (or never). */
class FakeLink implements MqttLink {
  readonly mode = 'external' as const;
  readonly maxInFlight = 4;
  readonly sent: OutgoingMessage[] = [];
  handlers: LinkHandlers | undefined;
  acks = true;
  failStart = false;
  throws = false;
  stopped = false;
  readonly send = (message: OutgoingMessage, done: (err?: Error | null) => void): void => {
    if (this.throws) throw new Error('socket on fire');
    this.sent.push(message);
    if (this.acks) done(null);
  };
  start(handlers: LinkHandlers): Promise<void> {
    if (this.failStart) return Promise.reject(new Error('no broker today'));
    this.handlers = handlers;
    handlers.connected();
    return Promise.resolve();
  }
  status(): LinkStatus {
    return { state: 'connected' };
  }
  stop(): Promise<void> {
    this.stopped = true;
    return Promise.resolve();
  }
  on(topic: string): OutgoingMessage[] {
    return this.sent.filter((m) => m.topic === topic);
  }
  receive(topic: string, payload: string, replayed = false): void {
    this.handlers?.message({ topic, payload: Buffer.from(payload), replayed });
  }
}

/** The hub, reduced to what MQTT uses. */
class FakeHub {
  readonly consumers = new Set<HubConsumer>();
  readonly snaps = new Map<string, SensorSnapshot>();
  readonly ingested: RawSample[] = [];
  snapshots(): SensorSnapshot[] {
    return [...this.snaps.values()];
  }
  snapshot(id: string): SensorSnapshot | undefined {
    return this.snaps.get(id);
  }
  addConsumer(c: HubConsumer): () => void {
    this.consumers.add(c);
    return () => this.consumers.delete(c);
  }
  ingest(s: RawSample): void {
    this.ingested.push(s);
  }
  read(id: string, value: number, health: Health = 'ok'): void {
    const reading: Reading = { sensorId: id, kind: 'gas', at: 1, mono: 1, clockSynced: true, value, unit: '%LEL', raw: value, quality: 'ok' };
    const before = this.snaps.get(id)?.health ?? 'warming_up';
    const snap: SensorSnapshot = { id, name: id, kind: 'gas', health, reading, samples: 1, rejected: 0 };
    this.snaps.set(id, snap);
    if (before !== health) for (const c of this.consumers) c.health?.(snap, before);
    for (const c of this.consumers) c.reading?.(reading);
  }
}

function gasEvent(state: 'raised' | 'cleared', severe: boolean): ConditionEvent {
  return { sensorId: 'gas', condition: 'gas', state, severity: 'critical', severe, at: 1, mono: 1, clockSynced: true, value: 60, unit: '%LEL', message: 'Gas at Gas' };
}

function setup(options: { ledgerPath?: string; stopTimeoutMs?: number } = {}) {
  const clock = new ManualClock();
  const link = new FakeLink();
  const hub = new FakeHub();
  const alarms = new AlarmController({ clock, annunciator: { show: () => undefined }, hushMs: 300_000, testDurationMs: 5_000, allSensorsHealthy: () => true, logger: silentLogger });
  alarms.start();
  const nodes = new NodeReadings({ sensors: [], topics, maxPayloadBytes: 4096, ingest: (s) => hub.ingest(s), clock, clockSynced: () => true, logger: silentLogger });
  const service = new GatewayMqtt({
    link, discovery: { topics, gatewayName: 'GW', version: 't', sensors: SENSORS }, nodes, hub, alarms, clock, timers: clock, logger: silentLogger,
    ...options,
  });
  return { clock, link, hub, alarms, service };
}

const json = (m: OutgoingMessage | undefined): Record<string, unknown> => JSON.parse(String(m?.payload)) as Record<string, unknown>;

describe('GatewayMqtt', () => {
  it('on connect: online, discovery, and no blank states or alarms before fresh data', async () => {
    const { link, hub, service } = setup();
    await service.start();
    assert.deepEqual(link.sent[0], { topic: 'easygas/gw/status', payload: 'online', retain: true, qos: 1 });
    assert.ok(link.sent.filter((m) => m.topic.startsWith('homeassistant/')).length > 5);
    assert.equal(link.sent.some((m) => m.topic.includes('/sensors/')), false, 'the previous run\'s retained states stay untouched');
    assert.equal(link.on(topics.alarmSummary).length, 0);
    hub.read('gas', 3);
    assert.equal(json(link.on(topics.sensorState('gas')).at(-1)).value, 3);
    assert.equal(link.on(topics.sensorAvailability('gas')).at(-1)?.payload, 'online');
    assert.equal(json(link.on(topics.sensorAlarm('gas', 'gas')).at(-1)).state, 'OFF', 'decided by fresh data: OFF');
    assert.equal(link.on(topics.alarmSummary).length, 0, 'the summary waits until every sensor has spoken');
    hub.read('leak', 0);
    assert.equal(json(link.on(topics.alarmSummary).at(-1)).state, 'OFF');
    await service.stop();
  });

  it('publishes alarm changes at once: the alarm topic, the summary and an event', async () => {
    const { link, alarms, service } = setup();
    await service.start();
    alarms.handleConditions([gasEvent('raised', false)]);
    assert.equal(json(link.on(topics.sensorAlarm('gas', 'gas')).at(-1)).state, 'ON');
    assert.equal(json(link.on(topics.alarmSummary).at(-1)).state, 'ON');
    const event = json(link.on(topics.events).at(-1));
    assert.deepEqual([event.type, event.change], ['alarm', 'raised']);
    alarms.handleConditions([gasEvent('cleared', false)]);
    assert.equal(json(link.on(topics.sensorAlarm('gas', 'gas')).at(-1)).state, 'OFF');
    await service.stop();
  });

  it('silences and tests on command, answers a refusal, and ignores a replayed (retained) command', async () => {
    const { link, alarms, service } = setup();
    await service.start();
    link.receive(topics.command('test'), 'PRESS');
    assert.notEqual(alarms.book.testUntil, undefined);
    assert.equal(json(link.on(topics.events).at(-1)).result, 'testing');
    link.receive(topics.command('silence'), 'PRESS');
    assert.equal(alarms.book.testUntil, undefined, 'a silence ends the test');
    assert.deepEqual([json(link.on(topics.events).at(-1)).result, json(link.on(topics.events).at(-1)).detail], ['silenced', 'the test alarm was stopped']);

    alarms.handleConditions([gasEvent('raised', true)]);
    link.receive(topics.command('silence'), 'PRESS');
    const answer = link.on(topics.events).map(json).find((e) => e.type === 'command' && e.result === 'refused');
    assert.ok(answer !== undefined, 'a refused silence is answered');
    assert.ok(alarms.active.every((a) => a.silencedUntil === undefined));

    link.receive(topics.command('test'), 'PRESS', true);
    assert.equal(alarms.book.testUntil, undefined, 'a retained command never runs');
    assert.equal(json(link.on(topics.events).at(-1)).result, 'ignored');
    assert.deepEqual(service.stats().commands, { silence: 2, test: 1, ignored: 1 });
    await service.stop();
  });

  it('publishes discovery again when Home Assistant says online (not for a replayed birth)', async () => {
    const { link, hub, service } = setup();
    await service.start();
    hub.read('gas', 3);
    const discovery = (): number => link.sent.filter((m) => m.topic.endsWith('/config')).length;
    const once = discovery();
    link.receive('homeassistant/status', 'online', true);
    link.receive('homeassistant/status', 'offline');
    assert.equal(discovery(), once);
    link.receive('homeassistant/status', 'online');
    assert.equal(discovery(), once * 2);
    assert.equal(link.on(topics.sensorState('gas')).length, 2, 'and the states');
    assert.equal(service.stats().discovery.homeAssistantOnline, 1);
    await service.stop();
  });

  it('clears the retained topics the last config had and this one has not, then remembers', async () => {
    const ledgerPath = join(dir, 'ledger.json');
    writeLedger(ledgerPath, ['easygas/gw/sensors/old/state', 'homeassistant/sensor/easygas_gw/old_gas/config', topics.status]);
    const { link, service } = setup({ ledgerPath });
    await service.start();
    await Promise.resolve();
    const cleared = link.sent.filter((m) => m.payload === '');
    assert.deepEqual(cleared.map((m) => [m.topic, m.retain]), [
      ['easygas/gw/sensors/old/state', true],
      ['homeassistant/sensor/easygas_gw/old_gas/config', true],
    ]);
    await new Promise((resolve) => setImmediate(resolve));
    const remembered = readLedger(ledgerPath);
    assert.ok(remembered.includes(topics.sensorState('gas')) && !remembered.includes('easygas/gw/sensors/old/state'));
    assert.equal(service.stats().discovery.removed, 2);
    await service.stop();
  });

  it('stops with a retained offline, and gives up waiting for a broker that never answers', async () => {
    const { clock, link, service } = setup({ stopTimeoutMs: 2_000 });
    await service.start();
    link.acks = false;
    const stopping = service.stop();
    assert.deepEqual(link.sent.at(-1), { topic: topics.status, payload: 'offline', retain: true, qos: 1 });
    await clock.run(stopping, 10_000);
    assert.equal(link.stopped, true);
  });

  it('never lets a failing link reach the hub or the alarms', async () => {
    const broken = setup();
    broken.link.failStart = true;
    await broken.service.start(); // resolves all the same
    await broken.service.stop();

    const { link, hub, alarms, service } = setup();
    await service.start();
    link.throws = true;
    assert.doesNotThrow(() => hub.read('gas', 40, 'ok'));
    assert.doesNotThrow(() => alarms.handleConditions([gasEvent('raised', false)]));
    assert.equal(alarms.active.length, 1, 'the alarm stands');
    assert.ok(service.stats().publish.failed >= 3, 'every failed publish counted');
    await service.stop();
  });
});
