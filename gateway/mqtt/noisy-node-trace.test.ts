/**
 * Thirty days of a noisy ultrasonic Wi-Fi node, replayed through the node payload
 * parser, the hub and the pipeline with the config's defaults: 1 % false echoes
 * (a stray distance, "no echo", a value out of range), condensation episodes (readings
 * 5–15 cm short for 5–20 min), and node timestamps a little behind the gateway's.
 * A single bad echo must never raise a fault, and event times never run backwards.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { silentLogger } from '../../hardware/logger.js';
import { ManualClock } from '../../hardware/sim/manual-clock.js';
import { gaussian, seededRandom } from '../../hardware/sim/random.js';
import { toPipelineSpec } from '../config/pipeline-spec.js';
import { configDoc, valid } from '../config/test-support/configs.js';
import type { ConditionEvent } from '../pipeline/types.js';
import { SensorHub } from '../sampling/sensor-hub.js';
import { NodeReadings } from './node-readings.js';
import { MqttTopics } from './topics.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const T0 = Date.UTC(2026, 10, 1);
const MOUNT_MM = 1250;

const config = valid(
  configDoc({
    sensors: [
      {
        id: 'roof-tank',
        name: 'Roof water tank',
        kind: 'level',
        interval: '1m',
        source: { driver: 'mqtt', node: 'roof' },
        level: { measures: 'distance_mm', mountHeightMm: MOUNT_MM, blindZoneMm: 30, tank: { shape: 'vertical_cylinder', diameterMm: 1100, heightMm: 1100 } },
      },
    ],
  }),
);

/** The true surface height: between about 32 % and 86 %, filled and drawn down each day (never low). */
function trueHeightMm(t: number): number {
  const dayFraction = ((t - T0) % DAY) / DAY;
  return 650 + 300 * Math.cos(2 * Math.PI * dayFraction);
}

interface Episode {
  readonly from: number;
  readonly until: number;
  readonly shortMm: number;
}

describe('a 30-day noisy ultrasonic trace through a Wi-Fi node', () => {
  it('raises no fault for a single bad echo, and no event time runs backwards', async () => {
    const random = seededRandom(14);
    const clock = new ManualClock(T0);
    const spec = toPipelineSpec(config.sensors[0]!);
    const events: ConditionEvent[] = [];
    const hub = new SensorHub({
      specs: [spec],
      clock,
      clockSynced: () => true,
      alarms: { handleConditions: (e) => void events.push(...e), refresh: () => undefined },
      logger: silentLogger,
      tickMs: 5_000,
    });
    const nodes = new NodeReadings({
      sensors: [{ sensorId: 'roof-tank', kind: 'level', node: 'roof' }],
      topics: new MqttTopics({ baseTopic: 'easygas', gatewayId: 'gw', discoveryPrefix: 'homeassistant' }),
      maxPayloadBytes: 256,
      ingest: (s) => hub.ingest(s),
      clock,
      clockSynced: () => true,
      logger: silentLogger,
    });
    hub.start();

    // About one condensation episode every two days.
    const episodes: Episode[] = [];
    for (let t = T0 + DAY / 3; t < T0 + 30 * DAY; t += (1 + 2 * random.next()) * DAY) {
      episodes.push({ from: t, until: t + (5 + 15 * random.next()) * MINUTE, shortMm: 50 + 100 * random.next() });
    }
    const falseEchoes: number[] = [];
    const send = (text: string): void => nodes.handle('easygas/nodes/roof/reading', Buffer.from(text), false);

    for (let t = T0; t < T0 + 30 * DAY; t += MINUTE) {
      await clock.advance(t - clock.now());
      // The node stamps its reading when it measured, up to 3 s before it arrives.
      const ts = t - Math.floor(3_000 * random.next());
      const u = random.next();
      if (u < 0.01) {
        falseEchoes.push(t);
        const kind = Math.floor(random.next() * 3);
        if (kind === 0) send(`{"fault":"no_echo","ts":${ts}}`);
        else if (kind === 1) send(`{"value":${Math.round(300 + 4000 * random.next())},"ts":${ts}}`); // an echo off a pipe
        else send(`{"value":${MOUNT_MM + 900},"ts":${ts}}`); // below the floor: out of range
        continue;
      }
      const episode = episodes.find((e) => t >= e.from && t < e.until);
      const distance = MOUNT_MM - trueHeightMm(t) - (episode?.shortMm ?? 0) + gaussian(random, 0, 3);
      send(`{"value":${distance.toFixed(0)},"ts":${ts}}`);
    }
    hub.stop();

    assert.ok(falseEchoes.length > 350, `${falseEchoes.length} false echoes in 30 days`);
    // Each fault raised lies in a condensation episode (or just after it), never at a lone bad echo.
    const raised = events.filter((e) => e.condition === 'sensor_fault' && e.state === 'raised');
    const lone = raised.filter((e) => !episodes.some((ep) => e.at >= ep.from && e.at <= ep.until + 30 * MINUTE));
    assert.deepEqual(lone.map((e) => `${new Date(e.at).toISOString()} ${e.message}`), []);
    assert.ok(raised.length <= episodes.length, `${raised.length} faults for ${episodes.length} condensation episodes`);
    // Event times never run backwards.
    const inversions = events.filter((e, i) => i > 0 && e.at < events[i - 1]!.at);
    assert.deepEqual(inversions, []);
    // And no false level alarm came out of the noise.
    assert.deepEqual(events.filter((e) => e.condition === 'sudden_drop' || e.condition === 'low_level').map((e) => e.message), []);
  });
});
