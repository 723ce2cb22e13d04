/**
 * In simulate mode, a line every few seconds with what the newcomer came to see:
 * each sensor's value and health, and what the buzzer is doing.
 */
import type { Clock, TimerHandle } from '../../hardware/clock.js';
import type { AppLogger } from '../logging.js';
import type { SensorHub, SensorSnapshot } from '../sampling/sensor-hub.js';

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
    const parts = hub.snapshots().map(describe);
    const simTime = new Date(clock.now()).toISOString().slice(0, 16).replace('T', ' ');
    logger.info({ simulatedTime: simTime, buzzer: buzzer() ?? 'off' }, `${simTime} | ${parts.join(' | ')}`);
    timer = realClock.setTimeout(report, everyMs);
  };
  timer = realClock.setTimeout(report, everyMs);
  return () => {
    if (timer !== undefined) realClock.clearTimeout(timer);
  };
}

function describe(s: SensorSnapshot): string {
  const r = s.reading;
  if (r === undefined) return `${s.name}: ${s.health}`;
  let value: string;
  switch (s.kind) {
    case 'level':
      value = `${r.value.toFixed(1)} %${r.litres !== undefined ? ` (${r.litres.toFixed(0)} L)` : ''}`;
      break;
    case 'gas':
      value = `${r.value.toFixed(1)} %LEL`;
      break;
    case 'leak':
      value = r.value >= 1 ? 'WET' : 'dry';
      break;
    case 'temperature':
      value = `${r.value.toFixed(1)} °C`;
      break;
  }
  return `${s.name}: ${value}${s.health === 'ok' ? '' : ` [${s.health}]`}`;
}
