/**
 * `easygas calibrate SENSOR`: guided calibration from live averaged samples.
 * On a terminal it asks for each point; scripts give `--point` flags (a point
 * without "=raw" is sampled now). It shows the mapping before and after, then
 * stores the result through the daemon (sensor-overrides.json: it survives
 * restarts and is applied live). `--capture` only measures; `--reset` goes back
 * to the config file's calibration.
 */
import { convertRaw, type LiveRead } from '../api/live-read.js';
import type { CalibrationSpec } from '../pipeline/specs.js';
import type { SensorKind } from '../pipeline/types.js';
import type { ApiClient } from './api-client.js';
import { CliError, printJson, type CliIo } from './cli-io.js';
import {
  describeCalibration,
  methodFor,
  parsePoint,
  planCalibration,
  type CalibrationInfo,
  type CalibrationMethod,
  type MeasuredPoint,
  type PointRequest,
} from './calibration-plan.js';
import { connectToGateway } from './connect.js';
import type { TargetOptions } from './gateway-locator.js';
import { Prompter } from './line-prompt.js';
import { sampleLive, type SampleOptions } from './live-sampler.js';

export interface CalibrateOptions extends TargetOptions {
  readonly point?: readonly string[];
  readonly capture?: boolean;
  readonly reset?: boolean;
  readonly dryRun?: boolean;
  readonly yes?: boolean;
  readonly samples?: number;
  readonly interval?: number;
  readonly tolerance?: number;
  readonly json?: boolean;
}

const QUESTIONS: Readonly<Record<CalibrationMethod, string>> = {
  'level-points': 'Set the tank to a known level. What does the dial show now? (empty, full, a percent; blank when done): ',
  'mounting-height': 'Measure the water height above the tank floor (mm; 0 or "empty" for an empty tank): ',
  'clean-air': 'Put the sensor in clean air (after its 24 h burn-in) and press Enter: ',
};

async function measure(api: ApiClient, info: CalibrationInfo, request: PointRequest, sampling: SampleOptions, io: CliIo): Promise<MeasuredPoint> {
  if (request.raw !== undefined) return { ...request, raw: request.raw, samples: 0, spread: 0 };
  const result = await sampleLive(api, info.sensorId, sampling, io, `point ${request.label}`);
  return { ...request, raw: result.mean, samples: result.samples, spread: result.spread };
}

async function askPoints(api: ApiClient, info: CalibrationInfo, method: CalibrationMethod, sampling: SampleOptions, io: CliIo, prompter: Prompter): Promise<MeasuredPoint[]> {
  const points: MeasuredPoint[] = [];
  for (;;) {
    const answer = await prompter.ask(QUESTIONS[method]);
    if (answer === undefined) break;
    if (answer === '' && method !== 'clean-air') {
      if (points.length > 0) break;
      continue;
    }
    const request = parsePoint(method === 'clean-air' ? 'clean-air' : answer, method, info);
    const point = await measure(api, info, request, sampling, io);
    io.stderr.write(`  ${request.label}: ${point.raw.toFixed(4)} (spread ${point.spread.toPrecision(2)})\n`);
    points.push(point);
    if (method !== 'level-points') break;
  }
  return points;
}

export async function calibrateCommand(sensorId: string, options: CalibrateOptions, io: CliIo, env?: NodeJS.ProcessEnv): Promise<number> {
  const prompter = new Prompter(io);
  try {
    return await calibrate(sensorId, options, io, prompter, env);
  } finally {
    prompter.close();
  }
}

async function calibrate(sensorId: string, options: CalibrateOptions, io: CliIo, prompter: Prompter, env?: NodeJS.ProcessEnv): Promise<number> {
  const api = await connectToGateway(options, env);
  const path = `/api/sensors/${encodeURIComponent(sensorId)}/calibration`;
  const info = await api.get<CalibrationInfo>(path);
  if (options.reset === true) {
    const result = await api.delete<{ before: unknown; after: CalibrationInfo['calibration'] }>(path);
    if (options.json === true) printJson(io, { sensorId, reset: true, ...result });
    else io.stdout.write(`${sensorId}: back to the config file's calibration: ${describeCalibration(result.after, info)}\n`);
    return 0;
  }
  const method = methodFor(info);
  const sampling: SampleOptions = {
    samples: options.samples ?? 10,
    intervalMs: options.interval ?? 500,
    ...(options.tolerance !== undefined ? { tolerance: options.tolerance } : {}),
  };

  if (options.capture === true) {
    const result = await sampleLive(api, sensorId, sampling, io, 'capture');
    if (options.json === true) printJson(io, { sensorId, method, raw: result.mean, spread: result.spread, samples: result.samples, unit: result.unit });
    else io.stdout.write(`${sensorId}: ${result.mean.toFixed(5)} ${result.unit} (spread ${result.spread.toPrecision(2)} over ${result.samples} samples)\nUse it later as --point <label>=${result.mean.toFixed(5)}\n`);
    return 0;
  }

  const requested = options.point ?? [];
  let points: MeasuredPoint[];
  if (requested.length > 0) {
    points = [];
    for (const text of requested) points.push(await measure(api, info, parsePoint(text, method, info), sampling, io));
  } else if (io.interactive === true) {
    io.stderr.write(`Calibrating ${sensorId}; now: ${describeCalibration(info.calibration, info)} (${info.source})\n`);
    points = await askPoints(api, info, method, sampling, io, prompter);
  } else {
    throw new CliError('no --point given and no terminal to ask on', `Give the points as flags, e.g. ${method === 'clean-air' ? '--point clean-air' : method === 'mounting-height' ? '--point empty' : '--point empty --point full'} (see easygas calibrate --help).`, 64);
  }

  const plan = planCalibration(info, method, points);
  // Each point through the old and the new mapping: the before/after a technician checks.
  const sensor = { kind: info.kind as SensorKind, ...(info.level !== undefined ? { level: info.level } : {}) };
  const shown = (cal: CalibrationSpec, raw: number): string => {
    const out = convertRaw(sensor, cal, raw);
    return 'error' in out ? `(${out.error})` : `${out.value.toFixed(1)} ${out.unit}`;
  };
  const comparison = points.map((p) => ({ label: p.label, raw: p.raw, before: shown(info.calibration, p.raw), after: shown(plan.calibration as CalibrationSpec, p.raw) }));
  let saved = false;
  if (options.dryRun !== true) {
    let go = true;
    if (io.interactive === true && options.yes !== true) {
      const answer = await prompter.ask('Save this calibration? [y/N] ');
      go = answer !== undefined && /^y(es)?$/i.test(answer);
    }
    if (go) {
      await api.put(path, { calibration: plan.calibration });
      saved = true;
    }
  }
  const after = saved ? await api.get<CalibrationInfo>(path) : undefined;
  const afterRead = saved ? await api.post<LiveRead>(`/api/sensors/${encodeURIComponent(sensorId)}/read`) : undefined;
  if (options.json === true) {
    printJson(io, { sensorId, method, points, before: info.calibration, after: plan.calibration, explanation: plan.explanation, saved, comparison, ...(afterRead?.result !== undefined ? { reads_now: afterRead.result } : {}) });
  } else {
    io.stdout.write(`${sensorId} (${method})\n`);
    for (const p of points) io.stdout.write(`  point ${p.label}: raw ${p.raw.toFixed(5)}${p.samples > 0 ? ` (${p.samples} samples, spread ${p.spread.toPrecision(2)})` : ' (given)'}\n`);
    io.stdout.write(`  before: ${describeCalibration(info.calibration, info)} (${info.source})\n`);
    io.stdout.write(`  after:  ${describeCalibration(plan.calibration, info)}\n`);
    for (const line of plan.explanation) io.stdout.write(`          ${line}\n`);
    for (const c of comparison) io.stdout.write(`  ${c.label}: reads ${c.before} before, ${c.after} after\n`);
    if (afterRead?.result !== undefined) io.stdout.write(`  it reads ${afterRead.result.value.toFixed(1)} ${afterRead.result.unit} now\n`);
    io.stdout.write(saved ? `  saved (${after?.source ?? 'local'}): kept in sensor-overrides.json and used at once\n` : '  not saved\n');
  }
  return 0;
}
