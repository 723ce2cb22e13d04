/**
 * External mode against the machine's real Mosquitto on 127.0.0.1:1883 (each test
 * under its own base topic and discovery prefix, cleared afterwards): the same
 * topics as the embedded broker, commands and node readings in, and the last will
 * on `kill -9` of a daemon process. If Mosquitto is not running here the tests fail
 * under CI=true and are skipped, loudly, otherwise.
 *
 * Reconnection is tested against a broker this test can stop: an aedes broker on an
 * ephemeral port, taken away and brought back.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Aedes } from 'aedes';
import YAML from 'yaml';
import { systemClock } from '../../hardware/clock.js';
import { listenTcp, type Listener } from '../mqtt/broker-listener.js';
import { startMqttRig } from '../mqtt/test-support/mqtt-rig.js';
import { portOpen, publish, Subscriber, waitFor } from '../mqtt/test-support/mosquitto.js';
import { exampleConfigPath } from '../system/package-info.js';

const CHILD = fileURLToPath(new URL('./fixtures/mqtt-daemon-child.ts', import.meta.url));
const MOSQUITTO = 1883;
const unique = `${process.pid}-${Math.floor(Math.random() * 1e9).toString(36)}`;
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

type Json = Record<string, unknown>;
const parse = (payload: string): Json => JSON.parse(payload) as Json;

/** Empties every retained topic under these filters on the real broker (tests must not litter it). */
async function clearRetained(filters: readonly string[]): Promise<void> {
  const sub = new Subscriber({ port: MOSQUITTO, topics: filters });
  try {
    await sub.subscribed();
    // Retained messages arrive right after the SUBACK; a marker published after them closes the list.
    const marker = `${filters[0]?.replace(/#$/, '')}zz-clear-marker`;
    await publish({ port: MOSQUITTO, topic: marker, message: 'x' });
    await sub.message(marker).catch(() => undefined);
  } finally {
    await sub.stop();
  }
  for (const topic of new Set(sub.messages.filter((m) => m.retained).map((m) => m.topic))) {
    await publish({ port: MOSQUITTO, topic, retain: true, qos: 1 });
  }
}

describe('external mode on the machine\'s Mosquitto', () => {
  let up = false;
  before(async () => {
    up = await portOpen(MOSQUITTO);
    if (!up && process.env.CI === 'true') throw new Error('Mosquitto is not running on 127.0.0.1:1883 (CI=true: external-mode tests must run)');
    if (!up) console.warn('\n*** SKIPPING external-mode MQTT tests: no Mosquitto on 127.0.0.1:1883 (start it, or run with CI=true to fail) ***\n');
  });

  it('uses the same topics: status, discovery, states; takes commands and node readings', async (t) => {
    if (!up) return t.skip('no Mosquitto on 127.0.0.1:1883');
    const base = `easygas-test-${unique}`;
    const prefix = `ha-test-${unique}`;
    t.after(() => clearRetained([`${base}/#`, `${prefix}/#`]));
    const rig = await startMqttRig({
      mqtt: { timers: systemClock() },
      mqttSection: { mode: 'external', url: `mqtt://127.0.0.1:${MOSQUITTO}`, baseTopic: base, discoveryPrefix: prefix },
    });
    const sub = new Subscriber({ port: MOSQUITTO, topics: [`${base}/#`, `${prefix}/#`] });
    try {
      assert.equal(rig.daemon.mqtt?.stats().link.state, 'connected');
      assert.equal((await sub.message(`${base}/rig/status`, (m) => m.payload === 'online')).retained, true);
      const level = parse((await sub.message(`${prefix}/sensor/easygas_rig/lpg_level/config`)).payload);
      assert.equal(level.state_topic, `${base}/rig/sensors/lpg/state`);
      assert.deepEqual((level.availability as Json[]).map((a) => a.topic), [`${base}/rig/status`, `${base}/rig/sensors/lpg/availability`]);
      await rig.clock.advance(60_000);
      const state = parse((await sub.message(`${base}/rig/sensors/lpg/state`, (m) => parse(m.payload).value !== null)).payload);
      assert.equal(state.unit, '%');

      await publish({ port: MOSQUITTO, topic: `${base}/rig/commands/test`, message: 'PRESS', qos: 1 });
      const answer = parse((await sub.message(`${base}/rig/events`, (m) => parse(m.payload).type === 'command')).payload);
      assert.deepEqual([answer.command, answer.result], ['test', 'testing']);

      await publish({ port: MOSQUITTO, topic: `${base}/nodes/attic/reading`, message: '{"value": 3.5}', qos: 1 });
      await waitFor('the node reading', () => rig.daemon.hub.snapshot('attic-gas')?.reading?.value === 3.5);
      // A retained reading is replayed to the next subscriber: old news, never a fresh reading.
      await publish({ port: MOSQUITTO, topic: `${base}/nodes/garage/reading`, message: '9', retain: true, qos: 1 });
      await waitFor('the live copy', () => rig.daemon.hub.snapshot('garage-temp')?.reading?.value === 9);

      const from = sub.messages.length;
      await publish({ port: MOSQUITTO, topic: `${prefix}/status`, message: 'online', qos: 1 });
      await sub.message(`${prefix}/button/easygas_rig/test/config`, () => true, 10_000, from);
      assert.ok((rig.daemon.mqtt?.stats().publish.peakInFlight ?? 99) <= 16, 'publishes in flight stay bounded');
    } finally {
      await sub.stop();
      await rig.stop();
    }
    // The clean stop left "offline", and a restarted gateway ignores the retained reading it finds.
    const offline = new Subscriber({ port: MOSQUITTO, topics: [`${base}/rig/status`] });
    assert.equal((await offline.message(`${base}/rig/status`)).payload, 'offline');
    await offline.stop();
    const again = await startMqttRig({
      mqtt: { timers: systemClock() },
      mqttSection: { mode: 'external', url: `mqtt://127.0.0.1:${MOSQUITTO}`, baseTopic: base, discoveryPrefix: prefix },
    });
    try {
      await waitFor('the replayed retained reading refused', () => again.daemon.mqtt?.stats().nodes.rejected.stale_retained === 1);
      assert.equal(again.daemon.hub.snapshot('garage-temp')?.reading, undefined);
    } finally {
      await again.stop();
    }
  });

  it('fires the last will when the daemon is killed with kill -9, and says offline itself on SIGTERM', { timeout: 60_000 }, async (t) => {
    if (!up) return t.skip('no Mosquitto on 127.0.0.1:1883');
    const dir = mkdtempSync(join(tmpdir(), 'easygas-mqtt-lwt-'));
    dirs.push(dir);
    const base = `easygas-lwt-${unique}`;
    const doc = YAML.parse(readFileSync(exampleConfigPath(), 'utf8')) as Json;
    doc.gateway = { ...(doc.gateway as Json), id: 'lwt' };
    doc.mqtt = { mode: 'external', url: `mqtt://127.0.0.1:${MOSQUITTO}`, baseTopic: base, discoveryPrefix: `ha-lwt-${unique}` };
    const config = join(dir, 'gateway.yaml');
    writeFileSync(config, YAML.stringify(doc));
    const status = `${base}/lwt/status`;
    t.after(() => clearRetained([`${base}/#`, `ha-lwt-${unique}/#`]));

    const children: ReturnType<typeof spawn>[] = [];
    t.after(() => children.forEach((c) => c.exitCode === null && c.signalCode === null && c.kill('SIGKILL')));
    const startChild = async () => {
      const child = spawn(process.execPath, ['--import', 'tsx', CHILD, config, join(dir, 'data')], { stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const lines = createInterface({ input: child.stdout });
      const ready = await new Promise<string>((resolve, reject) => {
        lines.on('line', (line) => line.startsWith('ready') && resolve(line));
        child.once('exit', (code) => reject(new Error(`child exited ${code}: ${stderr}`)));
      });
      return { child, ready, lines };
    };

    const watcher = new Subscriber({ port: MOSQUITTO, topics: [status] });
    try {
      await watcher.subscribed();
      const first = await startChild();
      assert.equal(first.ready, 'ready connected');
      await watcher.message(status, (m) => m.payload === 'online');
      const from = watcher.messages.length;
      first.child.kill('SIGKILL');
      const will = await watcher.message(status, (m) => m.payload === 'offline', 15_000, from);
      assert.equal(will.payload, 'offline', 'the broker published the last will');

      const second = await startChild();
      await watcher.message(status, (m) => m.payload === 'online', 10_000, watcher.messages.length - 1);
      const beforeStop = watcher.messages.length;
      const stopped = new Promise<void>((resolve) => second.lines.on('line', (l) => l === 'stopped' && resolve()));
      second.child.kill('SIGTERM');
      await stopped;
      await watcher.message(status, (m) => m.payload === 'offline', 10_000, beforeStop);
    } finally {
      await watcher.stop();
    }
  });
});

describe('external mode: a broker that goes away and comes back', () => {
  async function startBroker(port: number): Promise<{ listener: Listener; broker: Aedes }> {
    const broker = await Aedes.createBroker();
    const listener = await listenTcp((stream) => broker.handle(stream), '127.0.0.1', port);
    return { listener, broker };
  }
  async function stopBroker({ listener, broker }: { listener: Listener; broker: Aedes }): Promise<void> {
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    await listener.close();
  }

  it('reconnects with back-off, keeps sampling meanwhile, and publishes everything again', async () => {
    let remote = await startBroker(0);
    const port = remote.listener.port;
    const rig = await startMqttRig({
      mqtt: { timers: systemClock(), overrides: { backoff: { initialMs: 50, maxMs: 400 } } },
      mqttSection: { mode: 'external', url: `mqtt://127.0.0.1:${port}` },
    });
    try {
      assert.equal(rig.daemon.mqtt?.stats().link.state, 'connected');
      await rig.clock.advance(30_000);
      await stopBroker(remote);
      await waitFor('the link to notice', () => rig.daemon.mqtt?.stats().link.state === 'connecting');
      const before = rig.readings.length;
      await rig.clock.advance(30_000);
      assert.ok(rig.readings.length > before, 'sampling carries on without the broker');
      assert.equal(rig.daemon.state, 'running');

      remote = await startBroker(port);
      await waitFor('the reconnection', () => rig.daemon.mqtt?.stats().link.connects === 2, 15_000);
      const sub = new Subscriber({ port, topics: ['easygas/rig/#', 'homeassistant/#'] });
      try {
        // The fresh broker knew nothing: status, discovery and the states came again.
        assert.equal((await sub.message('easygas/rig/status')).payload, 'online');
        await sub.message('homeassistant/sensor/easygas_rig/lpg_level/config');
        const lpg = parse((await sub.message('easygas/rig/sensors/lpg/state')).payload);
        assert.equal(typeof lpg.value, 'number');
      } finally {
        await sub.stop();
      }
      const peak = rig.daemon.mqtt?.stats().publish.peakInFlight;
      assert.ok(peak !== undefined && peak <= 16, `at most 16 publishes in flight (saw ${peak})`);
    } finally {
      await rig.stop();
      await stopBroker(remote);
    }
  });
});
