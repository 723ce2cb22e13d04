/**
 * Averages live reads of one sensor through the gateway's API (the daemon reads
 * the bus in its turn; a tenth of outliers trimmed each side), with a stability check: the spread of the samples must
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
  // A lost frame now and then is normal (a checksum error, no echo); more than a fifth is not.
  const faultBudget = Math.max(1, Math.floor(options.samples / 5));
  let faults = 0;
  while (values.length < options.samples) {
    if (values.length + faults > 0) await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
    const read = await api.post<LiveRead>(`/api/sensors/${encodeURIComponent(sensorId)}/read`);
    if (read.fault !== undefined) {
      if (++faults <= faultBudget) continue;
      throw new CliError(`${sensorId}: ${read.fault.message} (${faults} of ${values.length + faults} reads failed)`, read.fault.hint ?? 'Check the sensor, then calibrate again.', 1);
    }
    if (read.warmingUp) throw new CliError(`${sensorId} is still warming up`, 'Wait until `easygas sensors` shows it ok (an MQ-6 needs minutes after power-on, 24 h when new), then calibrate.', 1);
    if (read.raw === undefined) throw new CliError(`${sensorId} returned no value`, 'Check the sensor with `easygas read`.', 1);
    unit = read.rawUnit;
    values.push(read.raw);
    if (io.interactive === true) io.stderr.write(`\r${label}: sample ${values.length}/${options.samples}  ${read.raw.toFixed(4)} ${unit}   `);
  }
  if (io.interactive === true) io.stderr.write('\n');
  // A trimmed mean: the top and bottom tenth dropped, as an ultrasonic sensor's
  // occasional spike (HARDWARE.md) must not move a calibration point or fail it.
  const sorted = [...values].sort((a, b) => a - b);
  const trim = Math.floor(sorted.length / 10);
  const kept = sorted.slice(trim, sorted.length - trim);
  const mean = kept.reduce((a, b) => a + b, 0) / kept.length;
  const spread = (kept.at(-1) ?? 0) - (kept[0] ?? 0);
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
