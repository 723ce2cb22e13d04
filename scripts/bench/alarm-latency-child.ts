/**
 * Runs the alarm-latency measurement in this process and prints its figures as
 * JSON: alarm-latency.ts starts it under the systemd unit's node flags. The unit
 * exposes gc() for the daemon's heap trim, so the trim runs here too — every second,
 * ten times the daemon's rate — and its pauses land inside the measurement.
 * Argument: {"quick": boolean, "tmpDir": string}.
 */
import { HeapTrim } from '../../gateway/system/heap-trim.js';
import { systemClock } from '../../hardware/clock.js';
import { silentLogger } from '../../hardware/logger.js';
import { measureAlarmLatency } from './alarm-latency.js';

const { quick, tmpDir } = JSON.parse(process.argv[2] ?? '{}') as { quick?: boolean; tmpDir?: string };
if (tmpDir === undefined) throw new Error('usage: alarm-latency-child.ts {"quick":false,"tmpDir":"/tmp/…"}');
const trim = new HeapTrim({ clock: systemClock(), logger: silentLogger, intervalMs: 1_000 });
trim.start();
const figures = await measureAlarmLatency({ quick: quick === true, tmpDir, log: (m) => process.stderr.write(`${m}\n`) });
trim.stop();
const { runs, longestMs } = trim.stats();
const trimNote = trim.enabled ? `; heap trim ran ${runs}× (every 1 s, 10× the daemon's rate), longest pause ${longestMs.toFixed(1)} ms` : '; no heap trim (the unit does not pass --expose-gc)';
process.stdout.write(`${JSON.stringify(figures.map((f) => ({ ...f, note: `${f.note ?? ''}${trimNote}` })))}\n`);
