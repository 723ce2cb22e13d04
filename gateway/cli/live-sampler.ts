/**
 * Averages live reads of one sensor through the gateway's API (the daemon reads
 * the bus in its turn), with a stability check: the spread of the samples must
 * stay within a tolerance, or the level/needle/heater is still moving and the
 * point would be wrong. Shows progress on a TTY.
 */
import type { LiveRead } from '../api/live-read.js';
import type { ApiClient } from './api-client.js';
import { CliError, type CliIo } from './cli-io.js';

export interface SampleOptions {
  readonly samples: number;
  /** Pause between reads: the sampling rate, so samples span some time. */
  readonly intervalMs: number;
  /** Largest accepted max − min, in the raw unit; default by unit. */
  readonly tolerance?: number;
}

export interface SampleResult {
  readonly mean: number;
  readonly spread: number;
  readonly samples: number;
  readonly unit: string;
}

/** Default tolerance: 20 mV for volts (≈1 % of a sender's swing), 10 mm for distances. */
export function defaultTolerance(unit: string, mean: number): number {
  if (unit === 'mm') return Math.max(10, Math.abs(mean) * 0.01);
  return Math.max(0.02, Math.abs(mean) * 0.01);
}

export async function sampleLive(api: ApiClient, sensorId: string, options: SampleOptions, io: CliIo, label: string): Promise<SampleResult> {
  const values: number[] = [];
  let unit = '';
  for (let i = 0; i < options.samples; i++) {
    if (i > 0) await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
    const read = await api.post<LiveRead>(`/api/sensors/${encodeURIComponent(sensorId)}/read`);
    if (read.fault !== undefined) throw new CliError(`${sensorId}: ${read.fault.message}`, read.fault.hint ?? 'Check the sensor, then calibrate again.', 1);
    if (read.warmingUp) throw new CliError(`${sensorId} is still warming up`, 'Wait until `easygas sensors` shows it ok (an MQ-6 needs minutes after power-on, 24 h when new), then calibrate.', 1);
    if (read.raw === undefined) throw new CliError(`${sensorId} returned no value`, 'Check the sensor with `easygas read`.', 1);
    unit = read.rawUnit;
    values.push(read.raw);
    if (io.interactive === true) io.stderr.write(`\r${label}: sample ${i + 1}/${options.samples}  ${read.raw.toFixed(4)} ${unit}   `);
  }
  if (io.interactive === true) io.stderr.write('\n');
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const spread = Math.max(...values) - Math.min(...values);
  const tolerance = options.tolerance ?? defaultTolerance(unit, mean);
  if (spread > tolerance) {
    throw new CliError(
      `${label}: the readings moved by ${spread.toPrecision(3)} ${unit} while sampling (tolerance ${tolerance.toPrecision(3)} ${unit})`,
      'Wait until the level (or the needle, or the heater) is still and try again; take more samples with --samples, or accept more with --tolerance.',
      1,
    );
  }
  return { mean, spread, samples: values.length, unit };
}
