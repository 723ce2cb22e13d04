import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PatternPlayer } from '../../hardware/drivers/pattern-player.js';
import { silentLogger } from '../../hardware/logger.js';
import { ManualClock } from '../../hardware/sim/manual-clock.js';
import { SimGpio } from '../../hardware/sim/sim-gpio.js';
import type { ConditionEvent } from '../pipeline/types.js';
import { AlarmController } from './alarm-controller.js';
import { Annunciator } from './annunciator.js';

const BUZZER = 18;
const RED = 24;
const GREEN = 23;
const HUSH = 5 * 60_000;

async function rig() {
  const clock = new ManualClock();
  const gpio = new SimGpio(clock);
  const player = async (line: number) => new PatternPlayer(await gpio.openOutput(line), { clock });
  const annunciator = new Annunciator({ buzzer: await player(BUZZER), red: await player(RED), green: await player(GREEN) }, silentLogger);
  let healthy = true;
  const controller = new AlarmController({
    clock,
    annunciator,
    hushMs: HUSH,
    testDurationMs: 5_000,
    allSensorsHealthy: () => healthy,
    logger: silentLogger,
  });
  controller.start();
  await clock.advance(0);
  return { clock, gpio, controller, annunciator, setHealthy: (h: boolean) => (healthy = h) };
}

function gas(clock: ManualClock, over: Partial<ConditionEvent> = {}): ConditionEvent {
  return {
    sensorId: 'kitchen-gas',
    condition: 'gas',
    state: 'raised',
    severity: 'critical',
    severe: false,
    at: clock.now(),
    mono: clock.monotonic(),
    clockSynced: true,
    message: 'Gas at 30 %LEL',
    ...over,
  };
}

/** Rising edges of a line after `since` (monotonic ms). */
function risingEdges(gpio: SimGpio, line: number, since: number): number[] {
  return gpio
    .history(line)
    .filter((c) => c.level === 1 && c.atMs >= since)
    .map((c) => c.atMs);
}

describe('AlarmController', () => {
  it('sounds temporal-3 for gas at once, hushes, and sounds again after the hush', async () => {
    const { clock, gpio, controller } = await rig();
    assert.equal(gpio.output(GREEN), 1, 'green: healthy and running');
    controller.handleConditions([gas(clock)]);
    await clock.advance(8_000);
    assert.deepEqual(risingEdges(gpio, BUZZER, 0), [0, 1_000, 2_000, 4_000, 5_000, 6_000, 8_000]);
    assert.equal(gpio.output(RED), 1);

    const outcome = controller.silence();
    assert.equal(outcome.silenced.length, 1);
    await clock.advance(0);
    const hushedAt = clock.monotonic();
    // (the beep that started at the very instant of the hush is cut short: not counted)
    await clock.advance(HUSH - 1);
    assert.deepEqual(risingEdges(gpio, BUZZER, hushedAt + 1), [], 'quiet during the hush');
    assert.equal(gpio.output(BUZZER), 0);
    await clock.advance(1);
    assert.deepEqual(risingEdges(gpio, BUZZER, hushedAt + 1), [hushedAt + HUSH], 'sounds again when the hush ends');

    controller.handleConditions([gas(clock, { state: 'cleared' })]);
    await clock.advance(10_000);
    assert.equal(gpio.output(BUZZER), 0);
    assert.equal(gpio.output(RED), 0);
  });

  it('refuses to silence a severe gas alarm', async () => {
    const { clock, gpio, controller } = await rig();
    controller.handleConditions([gas(clock, { severe: true })]);
    const outcome = controller.silence();
    assert.equal(outcome.refused.length, 1);
    await clock.advance(4_000);
    assert.deepEqual(risingEdges(gpio, BUZZER, 0), [0, 1_000, 2_000, 4_000]);
  });

  it('the button hushes what sounds, and tests when all is quiet', async () => {
    const { clock, gpio, controller } = await rig();
    controller.buttonPressed();
    await clock.advance(4_999);
    assert.deepEqual(risingEdges(gpio, BUZZER, 0), [0, 1_000, 2_000, 4_000], 'test pattern');
    await clock.advance(1);
    assert.equal(gpio.output(BUZZER), 0, 'test ends after its duration');
    controller.handleConditions([gas(clock, { sensorId: 'sink', condition: 'water_leak' })]);
    await clock.advance(0);
    assert.equal(gpio.output(BUZZER), 1);
    controller.buttonPressed();
    await clock.advance(0);
    assert.equal(gpio.output(BUZZER), 0, 'hushed');
    assert.equal(controller.active[0]?.silencedUntil !== undefined, true);
  });

  it('keeps driving the outputs when a change listener throws', async () => {
    const { clock, gpio, controller } = await rig();
    controller.onChange(() => {
      throw new Error('store is down');
    });
    controller.handleConditions([gas(clock)]);
    await clock.advance(0);
    assert.equal(gpio.output(BUZZER), 1);
  });

  it('blinks the green LED while a sensor is unhealthy, and close() leaves every output off', async () => {
    const { clock, gpio, controller, annunciator, setHealthy } = await rig();
    setHealthy(false);
    controller.refresh();
    await clock.advance(2_000);
    assert.deepEqual(risingEdges(gpio, GREEN, 1), [2_000]);
    controller.handleConditions([gas(clock)]);
    await clock.advance(100);
    const closing = annunciator.close();
    await clock.run(closing);
    for (const line of [BUZZER, RED, GREEN]) assert.equal(gpio.output(line), 0, `line ${line} off`);
  });
});
