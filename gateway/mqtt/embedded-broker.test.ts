/**
 * The embedded broker as a link, with mqtt.js clients as peers: MQTT over
 * WebSocket as well as TCP, in-process publishes that arrive complete and in order,
 * a damaged mqtt.db moved aside, and a stop that can come before the start is over.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import mqtt from 'mqtt';
import { systemClock } from '../../hardware/clock.js';
import { AccessPolicy } from './access-policy.js';
import { Authenticator } from './broker-auth.js';
import { EmbeddedBroker } from './embedded-broker.js';
import type { LinkHandlers } from './mqtt-link.js';
import { hashPassword } from './password-hash.js';
import { PublishQueue } from './publish-queue.js';
import { MqttTopics } from './topics.js';

const dir = mkdtempSync(join(tmpdir(), 'easygas-embedded-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const topics = new MqttTopics({ baseTopic: 'easygas', gatewayId: 'gw', discoveryPrefix: 'homeassistant' });
const HA = { username: 'homeassistant', password: 'pw' };
const noHandlers: LinkHandlers = { connected: () => undefined, disconnected: () => undefined, message: () => undefined };

function collectingLogger() {
  const lines: { level: string; msg: string }[] = [];
  const at = (level: string) => (_: object, msg?: string) => void lines.push({ level, msg: msg ?? '' });
  return { lines, logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
}

describe('EmbeddedBroker', () => {
  let authenticator: Authenticator;
  before(async () => {
    authenticator = new Authenticator({ users: [{ username: HA.username, passwordHash: await hashPassword(HA.password, { ln: 10, r: 8, p: 1 }) }], allowAnonymous: false });
  });

  const broker = (options: { persistencePath?: string; port?: number; websocketPort?: number; logger?: ReturnType<typeof collectingLogger>['logger'] } = {}) =>
    new EmbeddedBroker({
      host: '127.0.0.1',
      port: options.port ?? 0,
      ...(options.websocketPort !== undefined ? { websocketPort: options.websocketPort } : {}),
      portInUse: 'retry',
      ...(options.persistencePath !== undefined ? { persistencePath: options.persistencePath } : {}),
      authenticator,
      policy: new AccessPolicy(topics, []),
      maxPayloadBytes: 4096,
      subscriptions: [],
      isNodeReading: () => false,
      clock: systemClock(),
      logger: options.logger ?? collectingLogger().logger,
    });

  it('serves MQTT over WebSocket as well as TCP', async () => {
    const link = broker({ websocketPort: 0 });
    await link.start(noHandlers);
    const ws = mqtt.connect(`ws://127.0.0.1:${link.websocketPort}`, { ...HA, reconnectPeriod: 0 });
    const tcp = mqtt.connect(`mqtt://127.0.0.1:${link.port}`, { ...HA, reconnectPeriod: 0 });
    try {
      const got = (client: mqtt.MqttClient) => new Promise<string>((resolve) => client.on('message', (_t, p) => resolve(p.toString())));
      await Promise.all([ws.subscribeAsync('easygas/#'), tcp.subscribeAsync('easygas/#')]);
      const [overWs, overTcp] = [got(ws), got(tcp)];
      link.send({ topic: topics.status, payload: 'online', retain: true, qos: 1 }, () => undefined);
      assert.deepEqual(await Promise.all([overWs, overTcp]), ['online', 'online']);
      assert.match(link.status().websocketUrl ?? '', /^ws:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(link.status().clients, 2);
    } finally {
      await Promise.all([ws.endAsync(), tcp.endAsync()]);
      await link.stop();
    }
  });

  it('delivers a burst of retained and plain publishes complete and in order', async () => {
    const link = broker();
    await link.start(noHandlers);
    const client = mqtt.connect(`mqtt://127.0.0.1:${link.port}`, { ...HA, reconnectPeriod: 0 });
    try {
      const received: string[] = [];
      client.on('message', (_t, p) => received.push(p.toString()));
      await client.subscribeAsync('easygas/#', { qos: 1 });
      // The gateway's own queue, bounded as the link asks: aedes drops packets that overtake each other.
      const queue = new PublishQueue({ send: link.send, maxInFlight: link.maxInFlight });
      queue.open();
      const sent = Array.from({ length: 60 }, (_, i) => `m${i}`);
      sent.forEach((payload, i) => queue.push({ topic: i % 2 === 0 ? `easygas/gw/sensors/s${i}/state` : topics.events, payload, retain: i % 2 === 0, qos: 1 }));
      await queue.idle();
      const deadline = Date.now() + 5_000;
      while (received.length < sent.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(received, sent);
    } finally {
      await client.endAsync();
      await link.stop();
    }
  });

  it('moves a damaged mqtt.db aside and carries on with a fresh one', async () => {
    const path = join(dir, 'mqtt.db');
    writeFileSync(path, 'this is not a database, it is a shopping list'.repeat(200));
    const { lines, logger } = collectingLogger();
    const link = broker({ persistencePath: path, logger });
    await link.start(noHandlers);
    try {
      assert.ok(lines.some((l) => l.level === 'error' && l.msg.includes('moved aside')), JSON.stringify(lines));
      assert.ok(readdirSync(dir).some((f) => f.startsWith('mqtt.db.corrupt-')), 'the damaged file is kept');
      assert.equal(link.status().state, 'listening');
      await new Promise<void>((resolve, reject) => link.send({ topic: topics.status, payload: 'online', retain: true, qos: 1 }, (err) => (err ? reject(err) : resolve())));
    } finally {
      await link.stop();
    }
    assert.ok(existsSync(path), 'a fresh database in its place');
  });

  it('leaves nothing listening when stopped before its start is over', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const link = broker({ port });
    const starting = link.start(noHandlers);
    await link.stop();
    await starting;
    const again = createServer();
    await new Promise<void>((resolve, reject) => {
      again.once('error', reject);
      again.listen(port, '127.0.0.1', resolve);
    });
    again.close();
    assert.equal(link.status().state, 'stopped');
  });
});
