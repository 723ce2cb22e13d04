import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../hardware/sim/manual-clock.js';
import type { RawSample } from '../pipeline/types.js';
import { MAX_NODE_SKEW_MS, NodeReadings, type NodeSensor } from './node-readings.js';
import { MqttTopics } from './topics.js';

const topics = new MqttTopics({ baseTopic: 'easygas', gatewayId: 'gw', discoveryPrefix: 'homeassistant' });
const SENSORS: NodeSensor[] = [
  { sensorId: 'garage-temp', kind: 'temperature', node: 'garage' },
  { sensorId: 'garage-leak', kind: 'leak', node: 'garage', unit: 'floor' },
  { sensorId: 'shed-a', kind: 'temperature', node: 'shed', unit: 'a' },
  { sensorId: 'shed-b', kind: 'temperature', node: 'shed', unit: 'b' },
  { sensorId: 'loft', kind: 'level', node: 'loft', unit: 'tank' },
];

function rig(synced = true) {
  const clock = new ManualClock(Date.UTC(2026, 10, 24, 8));
  const samples: RawSample[] = [];
  const warnings: string[] = [];
  const logger = { debug: () => undefined, info: () => undefined, warn: (_: object, m?: string) => void warnings.push(m ?? ''), error: () => undefined };
  const nodes = new NodeReadings({ sensors: SENSORS, topics, maxPayloadBytes: 256, ingest: (s) => samples.push(s), clock, clockSynced: () => synced, logger });
  const send = (topic: string, text: string, replayed = false): void => nodes.handle(topic, Buffer.from(text), replayed);
  return { clock, samples, warnings, nodes, send };
}

describe('NodeReadings', () => {
  it('turns a node reading into a sample of the right sensor, stamped on the daemon clock', () => {
    const { clock, samples, send } = rig();
    send('easygas/nodes/garage/reading', '21.5');
    send('easygas/nodes/garage/floor/reading', 'true');
    send('easygas/nodes/garage/reading', '{"value": 0, "unit": "floor"}');
    send('easygas/nodes/shed/b/reading', '{"value": 4, "warmingUp": true}');
    send('easygas/nodes/loft/reading', '55'); // the node's only sensor, named by unit in the config
    assert.deepEqual(
      samples.map((s) => [s.sensorId, s.value, s.warmingUp ?? false, s.at, s.mono, s.clockSynced]),
      [
        ['garage-temp', 21.5, false, clock.now(), 0, true],
        ['garage-leak', 1, false, clock.now(), 0, true],
        ['garage-leak', 0, false, clock.now(), 0, true],
        ['shed-b', 4, true, clock.now(), 0, true],
        ['loft', 55, false, clock.now(), 0, true],
      ],
    );
  });

  it('counts and rejects unknown nodes, units that do not match, booleans for numbers, and retained replays', () => {
    const { samples, nodes, send, warnings } = rig();
    send('easygas/nodes/attic/reading', '1');
    send('easygas/nodes/shed/reading', '1'); // two sensors: which?
    send('easygas/nodes/shed/c/reading', '1');
    send('easygas/nodes/shed/a/reading', '{"value": 1, "unit": "b"}');
    send('easygas/nodes/garage/reading', 'true');
    send('easygas/nodes/garage/reading', '21', true);
    send('easygas/nodes/garage/reading', 'x'.repeat(300));
    assert.equal(samples.length, 0);
    const { rejected, accepted } = nodes.stats();
    assert.equal(accepted, 0);
    assert.deepEqual(
      { unknown_node: rejected.unknown_node, unknown_unit: rejected.unknown_unit, wrong_type: rejected.wrong_type, stale_retained: rejected.stale_retained, oversized: rejected.oversized },
      { unknown_node: 1, unknown_unit: 3, wrong_type: 1, stale_retained: 1, oversized: 1 },
    );
    assert.ok(warnings.some((w) => w.includes('several sensors (a, b)')), warnings.join('\n'));
  });

  it('logs one line per node and reason per window, however many arrive', async () => {
    const { clock, send, warnings } = rig();
    for (let i = 0; i < 100; i++) send('easygas/nodes/garage/reading', 'garbage');
    assert.equal(warnings.length, 1);
    send('easygas/nodes/garage/reading', 'NaN');
    assert.equal(warnings.length, 2, 'another reason is another line');
    await clock.advance(10 * 60_000);
    send('easygas/nodes/garage/reading', 'garbage');
    assert.equal(warnings.length, 3);
  });

  it('uses the node\'s timestamp when both clocks agree, never one that runs the sensor backwards', async () => {
    const { clock, samples, send, nodes } = rig();
    await clock.advance(60_000);
    send('easygas/nodes/garage/reading', JSON.stringify({ value: 1, ts: clock.now() - 5_000 }));
    assert.deepEqual([samples[0]?.at, samples[0]?.mono], [clock.now() - 5_000, clock.monotonic() - 5_000]);
    send('easygas/nodes/garage/reading', JSON.stringify({ value: 2, ts: clock.now() - 9_000 }));
    assert.equal(samples[1]?.mono, clock.monotonic() - 5_000, 'not before the previous sample');
    send('easygas/nodes/garage/reading', JSON.stringify({ value: 3, ts: clock.now() - MAX_NODE_SKEW_MS - 1 }));
    assert.equal(samples[2]?.at, clock.now(), 'too far off: stamped on arrival');
    assert.equal(nodes.stats().clockSkewed, 1);

    const unsynced = rig(false);
    unsynced.send('easygas/nodes/garage/reading', JSON.stringify({ value: 1, ts: unsynced.clock.now() - 1_000 }));
    assert.equal(unsynced.samples[0]?.at, unsynced.clock.now(), 'an unsynced gateway clock cannot vouch for it');
  });

  it('never throws into the broker, even when the hub does', () => {
    const clock = new ManualClock();
    const errors: string[] = [];
    const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (_: object, m?: string) => void errors.push(m ?? '') };
    const nodes = new NodeReadings({ sensors: SENSORS, topics, maxPayloadBytes: 256, ingest: () => { throw new Error('hub on fire'); }, clock, clockSynced: () => true, logger });
    assert.doesNotThrow(() => nodes.handle('easygas/nodes/garage/reading', Buffer.from('1'), false));
    assert.equal(errors.length, 1);
  });
});
