import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GatewayConfig, GatewayConfigInput } from './schema.js';
import { assertIssues, configDoc, scryptHash, valid } from './test-support/configs.js';

describe('gateway config schema: services', () => {
  it('requires a password for an API beyond this Pi', () => {
    assertIssues(configDoc({ api: { host: '0.0.0.0' } }), [['api.password', /listens on 0.0.0.0, beyond this Pi/]]);
    valid(configDoc({ api: { host: '0.0.0.0', password: 'correct horse' } }));
    valid(configDoc({ api: { host: '127.0.0.2' } }));
    valid(configDoc({ api: { host: 'localhost' } }));
  });

  it('sets up an external broker by URL, and the embedded one by users with scrypt hashes', () => {
    assertIssues(configDoc({ mqtt: { mode: 'external' } }), [['mqtt.url', /missing — mode is external/]]);
    assertIssues(configDoc({ mqtt: { username: 'ha', password: 'x' } }), [
      ['mqtt.username', /only for connecting to an external broker/],
      ['mqtt.password', /only for connecting to an external broker/],
    ]);
    const hash = scryptHash('correct horse');
    assertIssues(configDoc({ mqtt: { mode: 'external', url: 'mqtt://broker', users: [{ username: 'ha', passwordHash: hash }] } }), [
      ['mqtt.users', /only for the embedded broker/],
    ]);
    assertIssues(configDoc({ mqtt: { users: [{ username: 'ha', passwordHash: 'hunter2' }] } }), [['mqtt.users[0].passwordHash', /never the password itself/]]);
    assertIssues(configDoc({ mqtt: { users: [{ username: 'ha', passwordHash: hash }, { username: 'ha', passwordHash: hash }] } }), [
      ['mqtt.users[1].username', /"ha" is already users\[0\]/],
    ]);
    assertIssues(configDoc({ mqtt: { mode: 'external', url: 'http://broker' } }), [['mqtt.url', /mqtt:\/\//]]);
    const ok = valid(configDoc({ mqtt: { users: [{ username: 'ha', passwordHash: hash, nodes: ['garden-node'] }] } }));
    assert.equal(ok.mqtt.users[0]?.passwordHash, hash);
  });

  it('reads topic rights as Mosquitto acl_file lines, every mistake with its path', () => {
    const hash = scryptHash('correct horse');
    const config = valid(configDoc({
      mqtt: {
        users: [{ username: 'zigbee2mqtt', passwordHash: hash, topics: ['readwrite zigbee2mqtt/#', 'read homeassistant/status', 'tasmota/+/cmnd', 'deny zigbee2mqtt/bridge/request/#', 'read my topic/with space'] }],
        allowAnonymous: true,
        anonymousTopics: ['read public/#'],
        patterns: ['readwrite devices/%u/#', 'write clients/%c/status'],
      },
    }));
    assert.deepEqual(config.mqtt.users[0]?.topics, [
      { access: 'readwrite', topic: 'zigbee2mqtt/#' },
      { access: 'read', topic: 'homeassistant/status' },
      { access: 'readwrite', topic: 'tasmota/+/cmnd' },
      { access: 'deny', topic: 'zigbee2mqtt/bridge/request/#' },
      { access: 'read', topic: 'my topic/with space' },
    ]);
    assert.deepEqual(config.mqtt.anonymousTopics, [{ access: 'read', topic: 'public/#' }]);
    assert.deepEqual(config.mqtt.patterns, [{ access: 'readwrite', topic: 'devices/%u/#' }, { access: 'write', topic: 'clients/%c/status' }]);

    assertIssues(configDoc({
      mqtt: {
        users: [{ username: 'z', passwordHash: hash, topics: ['raed zigbee2mqtt/#', 'read', 'read a/#/b', 'read a/b+', 'readwrite', '', 'my topic'] }],
        anonymousTopics: 'read x',
        patterns: ['readwrite devices/user-%u/#', 42],
      },
    }), [
      ['mqtt.users[0].topics[0]', /"raed" is not an access: did you mean "read"\?/],
      ['mqtt.users[0].topics[1]', /names no topic after "read"/],
      ['mqtt.users[0].topics[2]', /"#" must be the last level/],
      ['mqtt.users[0].topics[3]', /must stand alone as a level/],
      ['mqtt.users[0].topics[4]', /names no topic after "readwrite"/],
      ['mqtt.users[0].topics[5]', /must not be empty/],
      ['mqtt.users[0].topics[6]', /a topic with a space needs its access first/],
      ['mqtt.anonymousTopics', /must be a list of rules/],
      ['mqtt.patterns[0]', /%u and %c must be a whole level/],
      ['mqtt.patterns[1]', /must be a rule like/],
    ]);
    assertIssues(configDoc({ mqtt: { mode: 'external', url: 'mqtt://broker', patterns: ['read x/#'], anonymousTopics: ['read y'] } }), [
      ['mqtt.anonymousTopics', /only for the embedded broker/],
      ['mqtt.patterns', /only for the embedded broker/],
    ]);
  });

  it('needs no URL to switch the cloud on: the gateway syncs where it was provisioned', () => {
    assert.equal(valid(configDoc({ cloud: { enabled: true } })).cloud.enabled, true);
    assert.equal(valid(configDoc({})).cloud.enabled, undefined);
    assert.equal(valid(configDoc({ cloud: { url: 'https://cloud.example' } })).cloud.url, 'https://cloud.example');
    assertIssues(configDoc({ cloud: { url: 'ftp://cloud.example' } }), [['cloud.url', /must be an http:\/\/ or https:\/\/ URL/]]);
  });

  it('keeps the hush between 1 and 10 minutes', () => {
    assertIssues(configDoc({ alarms: { hush: '30m' } }), [['alarms.hush', /at most 10m/]]);
    assertIssues(configDoc({ alarms: { hush: '30s' } }), [['alarms.hush', /at least 1m/]]);
    assert.equal(valid(configDoc({ alarms: { hush: '10m' } })).alarms.hush, 600_000);
  });

  it('explains yes/no, which YAML 1.2 reads as text', () => {
    assertIssues(configDoc({ cloud: { enabled: 'yes' } }), [['cloud.enabled', /must be true or false, not "yes" \(YAML 1.2 reads yes\/no\/on\/off as text\)/]]);
  });
});

describe('gateway config types', () => {
  it('types the input loosely (durations as text) and the output strictly (milliseconds)', () => {
    const input = {
      version: 1,
      alarms: { hush: '5m' },
      sensors: [{ id: 'sink', name: 'Sink', kind: 'leak', source: { driver: 'contact', headerPin: 11 } }],
    } satisfies GatewayConfigInput;
    const config: GatewayConfig = valid(input);
    const hush: number = config.alarms.hush;
    assert.equal(hush, 300_000);
  });
});
