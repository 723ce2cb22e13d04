/**
 * Runs the alarm-latency measurement in this process and prints its figures as
 * JSON: alarm-latency.ts starts it under the systemd unit's node flags.
 * Argument: {"quick": boolean, "tmpDir": string}.
 */
import { measureAlarmLatency } from './alarm-latency.js';

const { quick, tmpDir } = JSON.parse(process.argv[2] ?? '{}') as { quick?: boolean; tmpDir?: string };
if (tmpDir === undefined) throw new Error('usage: alarm-latency-child.ts {"quick":false,"tmpDir":"/tmp/…"}');
const figures = await measureAlarmLatency({ quick: quick === true, tmpDir, log: (m) => process.stderr.write(`${m}\n`) });
process.stdout.write(`${JSON.stringify(figures)}\n`);
