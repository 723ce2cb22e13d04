/**
 * Who may do what on the embedded broker, with the real mosquitto clients: wrong
 * passwords, unknown users and anonymous clients are refused at CONNECT; a node may
 * publish only under its own node's topics; nobody but the gateway publishes its
 * states; commands cannot be retained; a last will must be a topic its client may use.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ATTIC, GARAGE, HA, startMqttRig, type MqttRig } from '../mqtt/test-support/mqtt-rig.js';
import { publish, Subscriber, waitFor } from '../mqtt/test-support/mosquitto.js';

describe('embedded broker access control (real mosquitto clients)', () => {
  let rig: MqttRig;
  before(async () => {
    rig = await startMqttRig();
    await rig.clock.advance(5_000); // some readings, so there are states to protect
  });
  after(async () => rig.stop());

  const link = () => rig.daemon.mqtt!.stats().link;

  it('refuses a wrong password, an unknown user and anonymous clients; lets the right password in', async () => {
    const before = link().refusedLogins ?? 0;
    const wrong = await publish({ port: rig.port, topic: 'easygas/rig/commands/test', message: 'x', user: HA.user, password: 'guess' });
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.stderr, /bad user name or password/i);
    const unknown = await publish({ port: rig.port, topic: 'easygas/rig/commands/test', message: 'x', user: 'mallory', password: 'guess' });
    assert.match(unknown.stderr, /bad user name or password/i);
    const anonymous = await publish({ port: rig.port, topic: 'easygas/rig/commands/test', message: 'x' });
    assert.notEqual(anonymous.code, 0);
    assert.match(anonymous.stderr, /not authori[sz]ed/i);
    assert.equal((link().refusedLogins ?? 0) - before, 3);
    assert.equal(rig.daemon.alarms.book.testUntil, undefined, 'no refused client got a command through');
    const logged = rig.logs.filter((l) => String(l.msg).startsWith('MQTT login refused'));
    assert.ok(logged.some((l) => String(l.msg).includes('wrong password for "homeassistant"')), 'the refusal is logged with its reason');

    const right = await publish({ port: rig.port, topic: 'easygas/rig/commands/test', message: 'PRESS', qos: 1, ...HA });
    assert.equal(right.code, 0, right.stderr);
    await waitFor('the test alarm', () => rig.daemon.alarms.book.testUntil !== undefined);
  });

  it('lets a node publish only its own readings, and read nothing of the gateway', async () => {
    const denied = link().deniedPublishes ?? 0;
    const accepted = rig.daemon.mqtt!.stats().nodes.accepted;
    const own = await publish({ port: rig.port, topic: 'easygas/nodes/garage/reading', message: '12.5', qos: 1, ...GARAGE });
    assert.equal(own.code, 0, own.stderr);
    const others = await publish({ port: rig.port, topic: 'easygas/nodes/attic/reading', message: '60', qos: 1, ...GARAGE });
    assert.notEqual(others.code, 0, 'the broker closes the connection of a client publishing where it may not');
    const command = await publish({ port: rig.port, topic: 'easygas/rig/commands/silence', message: 'x', qos: 1, ...ATTIC });
    assert.notEqual(command.code, 0, 'a node sends no commands');
    assert.equal((link().deniedPublishes ?? 0) - denied, 2);
    await waitFor('the garage reading', () => rig.daemon.hub.snapshot('garage-temp')?.reading);
    assert.equal(rig.daemon.mqtt!.stats().nodes.accepted - accepted, 1, 'only its own reading went in');
    assert.equal(rig.daemon.hub.snapshot('attic-gas')?.reading, undefined, 'the attic never got 60 %LEL from the garage');
    assert.equal(rig.daemon.hub.snapshot('garage-temp')?.reading?.value, 12.5);

    const snoop = new Subscriber({ port: rig.port, topics: ['easygas/#'], ...GARAGE });
    try {
      assert.deepEqual(await snoop.subscribed(), [128], 'the subscription is refused');
      await snoop.until('mosquitto_sub saying so', () => (/All subscription requests were denied/.test(snoop.stderr) ? true : undefined));
    } finally {
      await snoop.stop();
    }
    assert.ok((link().deniedSubscriptions ?? 0) >= 1);
  });

  it('lets nobody but the gateway publish its states, refuses retained commands and $SYS', async () => {
    const state = 'easygas/rig/sensors/lpg/state';
    const forged = await publish({ port: rig.port, topic: state, message: '{"value":99}', retain: true, qos: 1, ...HA });
    assert.notEqual(forged.code, 0);
    const retainedCommand = await publish({ port: rig.port, topic: 'easygas/rig/commands/silence', message: 'x', retain: true, qos: 1, ...HA });
    assert.notEqual(retainedCommand.code, 0, 'a retained command would fire at every restart');
    const sys = await publish({ port: rig.port, topic: '$SYS/broker/x', message: 'x', qos: 1, ...HA });
    assert.notEqual(sys.code, 0);
    const reader = new Subscriber({ port: rig.port, topics: [state], ...HA });
    try {
      const current = await reader.message(state);
      assert.notEqual((JSON.parse(current.payload) as { value: unknown }).value, 99, 'the retained state is still the gateway\'s');
    } finally {
      await reader.stop();
    }
  });

  it('refuses a client whose last will is a topic it may not publish to', async () => {
    const spoof = await publish({
      port: rig.port,
      topic: 'easygas/nodes/garage/reading',
      message: '1',
      ...GARAGE,
      extra: ['--will-topic', 'easygas/rig/status', '--will-payload', 'offline', '--will-retain'],
    });
    assert.notEqual(spoof.code, 0);
    assert.match(spoof.stderr, /not authori[sz]ed/i);
    const fine = await publish({
      port: rig.port,
      topic: 'easygas/nodes/garage/reading',
      message: '2',
      ...GARAGE,
      extra: ['--will-topic', 'easygas/nodes/garage/status', '--will-payload', 'offline', '--will-retain'],
    });
    assert.equal(fine.code, 0, fine.stderr);
  });
});
