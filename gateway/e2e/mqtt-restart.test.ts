/**
 * The embedded broker across a restart, and when its port is taken. Retained
 * messages and QoS 1 sessions live in <dataDir>/mqtt.db: after a restart a late
 * subscriber still gets the last states (not "unavailable"), and a persistent
 * session gets what was queued while it was away. A taken port (Mosquitto holds
 * 1883 on this machine) is logged with what to do, the daemon keeps protecting,
 * and the port is tried again.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ManualClock } from '../../hardware/sim/manual-clock.js';
import { T0 } from '../app/test-support/daemon-rig.js';
import { GARAGE, HA, mqttUsers, startMqttRig } from '../mqtt/test-support/mqtt-rig.js';
import { portOpen, publish, Subscriber, waitFor } from '../mqtt/test-support/mosquitto.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A program holding a port: it reads (and ignores) what it is sent, unless told otherwise. */
function listenOn(port: number, onConnection: (socket: Socket) => void = (socket) => socket.resume()): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => {
      socket.on('error', () => undefined);
      onConnection(socket);
    });
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => resolve(server));
  });
}

describe('embedded broker across a restart (real mosquitto clients)', () => {
  it('keeps retained messages and a QoS 1 session in mqtt.db', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'easygas-mqtt-restart-'));
    dirs.push(dataDir);
    const clock = new ManualClock(T0);
    const users = await mqttUsers();
    const first = await startMqttRig({ clock, dataDir, users });
    const session = { port: first.port, topics: ['easygas/rig/events'], qos: 1 as const, clientId: 'ha-session', persistent: true, ...HA };
    let lastLpg: string | undefined;
    try {
      await clock.advance(60_000);
      const reader = new Subscriber({ port: first.port, topics: ['easygas/rig/sensors/lpg/state'], ...HA });
      await reader.message('easygas/rig/sensors/lpg/state');
      await reader.stop();
      assert.equal((await publish({ port: first.port, topic: 'easygas/nodes/garage/status', message: 'online', retain: true, qos: 1, ...GARAGE })).code, 0);

      // A persistent session subscribes, then goes away; an event is queued for it meanwhile.
      const away = new Subscriber(session);
      assert.deepEqual(await away.subscribed(), [1]);
      await away.stop();
      assert.equal((await publish({ port: first.port, topic: 'easygas/rig/commands/test', message: 'PRESS', qos: 1, ...HA })).code, 0);
      await waitFor('the command answered', () => first.daemon.mqtt!.stats().commands.test === 1);
      await waitFor('everything published', () => {
        const p = first.daemon.mqtt!.stats().publish;
        return p.queued === 0 && p.inFlight === 0;
      });
      const last = new Subscriber({ port: first.port, topics: ['easygas/rig/sensors/lpg/state'], ...HA });
      lastLpg = (await last.message('easygas/rig/sensors/lpg/state')).payload;
      await last.stop();
    } finally {
      await first.stop(false);
    }

    const second = await startMqttRig({ clock, dataDir, users, home: first.home });
    try {
      // Before the restarted gateway has read anything new.
      const late = new Subscriber({ port: second.port, topics: ['easygas/nodes/garage/status', 'easygas/rig/sensors/lpg/state', 'easygas/rig/status'], ...HA });
      try {
        assert.equal((await late.message('easygas/nodes/garage/status')).payload, 'online', 'a client\'s retained message survived');
        assert.equal((await late.message('easygas/rig/sensors/lpg/state')).payload, lastLpg, 'the last state is still there, not a blank');
        assert.equal((await late.message('easygas/rig/status', (m) => m.payload === 'online')).retained, true);
      } finally {
        await late.stop();
      }
      const back = new Subscriber({ ...session, port: second.port });
      try {
        const queued = await back.message('easygas/rig/events', (m) => (JSON.parse(m.payload) as { type: string }).type === 'command');
        assert.equal((JSON.parse(queued.payload) as { command: string }).command, 'test', 'the event queued for the session before the restart arrives after it');
      } finally {
        await back.stop();
      }
    } finally {
      await second.stop();
      await first.home.close();
    }
  });
});

describe('embedded broker on a taken port', () => {
  it('says what holds the port and how to fix it, keeps the daemon protecting, and takes the port once it is free', async () => {
    const holder = await listenOn(0);
    const port = (holder.address() as { port: number }).port;
    const rig = await startMqttRig({ mqtt: { overrides: { port, retryDelaysMs: [30_000] } } });
    try {
      const error = await waitFor('the port-in-use log line', () => rig.logs.find((l) => l.code === 'EASYGAS_PORT_IN_USE'));
      const text = String(error.msg);
      assert.match(text, new RegExp(`port ${port} is in use by another program`));
      assert.match(text, /mqtt\.port \(or EASYGAS_MQTT_PORT\)/);
      assert.match(text, /mqtt\.mode: external/);
      assert.match(text, /Sampling and alarms carry on without MQTT; the gateway tries port \d+ again in 30 s/);
      assert.equal(rig.daemon.mqtt!.stats().link.state, 'port_in_use');

      // Still protecting: sampling, readings, alarms.
      const before = rig.readings.length;
      await rig.clock.advance(10_000);
      assert.ok(rig.readings.length > before);
      assert.equal(rig.daemon.state, 'running');

      await new Promise<void>((resolve) => holder.close(() => resolve()));
      await rig.clock.advance(20_000);
      await waitFor('the broker on its port', () => rig.daemon.mqtt!.stats().link.state === 'listening');
      const sub = new Subscriber({ port, topics: ['easygas/rig/status'], ...HA });
      try {
        assert.equal((await sub.message('easygas/rig/status')).payload, 'online');
      } finally {
        await sub.stop();
      }
    } finally {
      if (holder.listening) holder.close();
      await rig.stop();
    }
  });

  it('names another MQTT broker when one answers on the port (Mosquitto on 1883 here)', async (t) => {
    // A stand-in that answers CONNECT with CONNACK, as Mosquitto would.
    const fake = await listenOn(0, (socket) => {
      socket.once('data', () => socket.end(Buffer.from([0x20, 2, 0, 0])));
    });
    const port = (fake.address() as { port: number }).port;
    const rig = await startMqttRig({ mqtt: { overrides: { port } } });
    try {
      const error = await waitFor('the port-in-use log line', () => rig.logs.find((l) => l.code === 'EASYGAS_PORT_IN_USE'));
      assert.match(String(error.msg), new RegExp(`port ${port} is in use by another MQTT broker \\(Mosquitto\\?\\)`));
    } finally {
      fake.close();
      await rig.stop();
    }
    if (!(await portOpen(1883))) {
      t.diagnostic('no MQTT broker on 127.0.0.1:1883 here: the real-Mosquitto half of this test did not run');
      return;
    }
    const real = await startMqttRig({ mqtt: { overrides: { port: 1883 } } });
    try {
      const error = await waitFor('the port-in-use log line', () => real.logs.find((l) => l.code === 'EASYGAS_PORT_IN_USE'));
      assert.match(String(error.msg), /port 1883 is in use by another MQTT broker/);
      assert.match(String(error.msg), /mqtt\.url: mqtt:\/\/127\.0\.0\.1:1883/);
    } finally {
      await real.stop();
    }
  });
});
