/**
 * In simulate mode, a line every few seconds with what the newcomer came to see:
 * each sensor's value and health, and what the buzzer is doing.
 */
import type { Clock, TimerHandle } from '../../hardware/clock.js';
import type { AppLogger } from '../logging.js';
import type { SensorHub, SensorSnapshot } from '../sampling/sensor-hub.js';
import { readingText } from '../api/sensor-text.js';
import { sensorViewOf } from '../api/status-view.js';

export function startSimulateReporter(options: {
  readonly hub: SensorHub;
  readonly clock: Clock;
  readonly realClock: Clock;
  readonly everyMs: number;
  readonly logger: AppLogger;
  readonly buzzer: () => string | undefined;
}): () => void {
  const { hub, clock, realClock, everyMs, logger, buzzer } = options;
  let timer: TimerHandle | undefined;
  const report = (): void => {
    const parts = hub.snapshots().map((s) => describe(s, clock.now()));
    const simTime = new Date(clock.now()).toISOString().slice(0, 16).replace('T', ' ');
    logger.info({ simulatedTime: simTime, buzzer: buzzer() ?? 'off' }, `${simTime} | ${parts.join(' | ')}`);
    timer = realClock.setTimeout(report, everyMs);
  };
  timer = realClock.setTimeout(report, everyMs);
  return () => {
    if (timer !== undefined) realClock.clearTimeout(timer);
  };
}

/** The same words as `easygas status`: a sensor that is not ok shows its state, not an old number. */
function describe(s: SensorSnapshot, now: number): string {
  return `${s.name}: ${readingText(sensorViewOf(s), now)}`;
}
