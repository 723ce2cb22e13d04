/**
 * Bytes written to disk per reading at the default cadence: the example config's
 * sensors at their intervals through the hub into the store, exactly as in the
 * daemon — the same StoreService, on a ManualClock so a simulated hour takes
 * seconds: a batch journaled 1 s after its first reading (or at 500 rows), the
 * journal moved into SQLite every 30 min (the default), and a sync agent reading the outbox and
 * acknowledging every 10 s, as with the cloud reachable. Counted from
 * /proc/self/io: `wchar` (bytes handed to write()) and `write_bytes` (bytes the
 * kernel sent towards the block device, counted when a page cache page becomes
 * dirty). Baseline: the same rows, one raw INSERT transaction each.
 *
 * Time-lapse would flatter write_bytes: pages rewritten within the kernel's 30 s
 * dirty-expire window are counted once, and an hour in seconds fits in one window.
 * So every 30 simulated seconds the bench fdatasync()s every file of the data
 * directory (database, WAL, -shm, journal), as the kernel's periodic writeback
 * would have done by then. wchar is unaffected. The measurement ends after the
 * store is closed: SQLite then checkpoints the WAL into the database, so every page
 * the run wrote is counted twice, as the periodic checkpoints of a long run would.
 * It starts on a database made (and checkpointed) by an earlier start, as on a
 * gateway that has run before: creating the schema is not a per-reading cost.
 */
import { closeSync, fdatasyncSync, mkdirSync, openSync, readdirSync, readFileSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AlarmController } from '../../gateway/alarms/alarm-controller.js';
import { Annunciator } from '../../gateway/alarms/annunciator.js';
import type { Reading } from '../../gateway/pipeline/types.js';
import { SensorHub } from '../../gateway/sampling/sensor-hub.js';
import { InProcessStore } from '../../gateway/store/in-process-store.js';
import { migrate } from '../../gateway/store/migrations.js';
import { silentLogger } from '../../hardware/logger.js';
import { ManualClock } from '../../hardware/sim/manual-clock.js';
import { loadExampleHome, readingsPerSecond, SampleMaker, storeConsumer, type ExampleHome } from './example-home.js';
import type { Bench, BenchContext, Figure } from './harness.js';
import { rawReadingInsert } from './raw-readings.js';

/** The kernel's default dirty_expire_centisecs: a dirty page reaches the disk within about this long. */
const WRITEBACK_MS = 30_000;
/** How often the simulated sync agent fetches the outbox and acknowledges it. */
const SYNC_MS = 10_000;

export interface IoCounters {
  readonly wchar: number;
  readonly writeBytes: number;
}

/** This process's I/O counters (Linux). */
export function readProcIo(): IoCounters {
  let text: string;
  try {
    text = readFileSync('/proc/self/io', 'utf8');
  } catch (err) {
    throw new Error(`disk-bytes needs Linux's /proc/self/io (${(err as Error).message})`, { cause: err });
  }
  const field = (name: string): number => {
    const match = new RegExp(`^${name}: (\\d+)$`, 'm').exec(text);
    if (match?.[1] === undefined) throw new Error(`/proc/self/io has no ${name}`);
    return Number(match[1]);
  };
  return { wchar: field('wchar'), writeBytes: field('write_bytes') };
}

function delta(before: IoCounters, after: IoCounters): IoCounters {
  return { wchar: after.wchar - before.wchar, writeBytes: after.writeBytes - before.writeBytes };
}

/** What the kernel's periodic writeback does to files that keep being written: their dirty pages go out. */
function writeBack(paths: readonly string[]): void {
  for (const path of paths) {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch {
      continue; // a WAL that is not there (yet) has nothing dirty
    }
    try {
      fdatasyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

/** Every file in `dir`: the database, its WAL and -shm, the readings journal, the seq reservation. */
function filesIn(dir: string): string[] {
  return readdirSync(dir).map((name) => join(dir, name));
}

interface GatewayRun {
  readonly io: IoCounters;
  readonly readings: Reading[];
  readonly batches: number;
  /** Moves of the journal into SQLite during the run (the one at close included). */
  readonly transfers: number;
  readonly acks: number;
}

/** The example home for `seconds` of simulated time, second by second, as the daemon runs it. */
async function runGateway(home: ExampleHome, dataDir: string, seconds: number): Promise<GatewayRun> {
  const clock = new ManualClock();
  // A gateway that has run before: the schema is made and checkpointed once, not in every hour measured.
  await new InProcessStore({ ...home.store, dataDir, clock, logger: silentLogger }).close();
  const store = new InProcessStore({ ...home.store, dataDir, clock, logger: silentLogger });
  const alarms = new AlarmController({
    clock,
    annunciator: new Annunciator({}, silentLogger),
    hushMs: home.config.alarms.hush,
    testDurationMs: home.config.alarms.testDuration,
    allSensorsHealthy: () => hub.allHealthy(), // called from start(), once the hub exists
    logger: silentLogger,
  });
  const hub: SensorHub = new SensorHub({ specs: home.specs, clock, clockSynced: () => true, alarms, logger: silentLogger });
  const readings: Reading[] = [];
  hub.addConsumer(storeConsumer(store));
  hub.addConsumer({ name: 'bench', reading: (r) => readings.push(r) });
  alarms.start();
  hub.start();
  const maker = new SampleMaker(7, clock.now());
  let acked = 0;
  let acks = 0;

  writeBack(filesIn(dataDir));
  const before = readProcIo();
  for (let second = 0; second < seconds; second++) {
    const mono = clock.monotonic();
    for (const spec of home.specs) {
      if (mono % (home.intervals.get(spec.sensorId) ?? 1000) === 0) hub.ingest(maker.sample(spec, mono));
    }
    await clock.advance(1000); // the batch timer fires: one journal append per second with readings
    if ((mono + 1000) % SYNC_MS === 0) {
      const last = (await store.outbox(acked)).at(-1);
      if (last !== undefined) {
        acked = await store.ack(last.seq);
        acks++;
      }
    }
    if ((mono + 1000) % WRITEBACK_MS === 0) writeBack(filesIn(dataDir));
  }
  hub.stop();
  alarms.stop();
  const stats = await store.stats();
  const counters = stats.store?.counters ?? {};
  await store.close(); // the last transfer, then SQLite's checkpoint of everything the run wrote
  writeBack(filesIn(dataDir));
  const io = delta(before, readProcIo());
  const stored = stats.store?.readings ?? 0;
  if (stored !== readings.length) throw new Error(`the store holds ${stored} readings; the pipeline made ${readings.length}`);
  const transfers = (counters.journal_transfers ?? 0) + ((stats.store?.pendingReadings ?? 0) > 0 ? 1 : 0);
  return { io, readings, batches: countBatches(readings), transfers, acks };
}

/** Batches the daemon commits: one per second that had a reading (the batcher's 1 s window). */
function countBatches(readings: readonly Reading[]): number {
  return new Set(readings.map((r) => Math.floor(r.mono / 1000))).size;
}

/** The same rows, one raw INSERT transaction each, same schema and pragmas (WAL, synchronous=NORMAL). */
function runPerReading(readings: readonly Reading[], path: string): IoCounters {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  migrate(db);
  const insert = rawReadingInsert(db);
  const files = [path, `${path}-wal`, `${path}-shm`];
  writeBack(files);
  const before = readProcIo();
  let flushedAt = readings[0]?.mono ?? 0;
  readings.forEach((r, i) => {
    insert(i + 1, r);
    if (r.mono - flushedAt >= WRITEBACK_MS) {
      writeBack(files);
      flushedAt = r.mono;
    }
  });
  writeBack(files);
  db.close(); // the checkpoint, as on the gateway side
  writeBack(files);
  return delta(before, readProcIo());
}

function fileSystemOf(dir: string): string {
  const names: Record<number, string> = { 0xef53: 'ext4', 0x01021994: 'tmpfs', 0x794c7630: 'overlayfs', 0x58465342: 'xfs', 0x9123683e: 'btrfs', 0x4d44: 'vfat', 0xf2f52010: 'f2fs' };
  try {
    const type = statfsSync(dir).type;
    return names[type] ?? `fs type 0x${type.toString(16)}`;
  } catch {
    return 'unknown fs';
  }
}

export const diskBytesBench: Bench = {
  name: 'disk-bytes',
  description: 'bytes written per reading at the example config\'s cadence (1 s journal batches, 30 min transfers), from /proc/self/io, vs one transaction per reading',
  async run(context: BenchContext): Promise<Figure[]> {
    const home = await loadExampleHome();
    const seconds = context.quick ? 600 : 3_600;
    const dataDir = join(context.tmpDir, 'gateway');
    mkdirSync(dataDir);
    const gateway = await runGateway(home, dataDir, seconds);
    const n = gateway.readings.length;
    const raw = runPerReading(gateway.readings, join(context.tmpDir, 'per-reading.db'));
    context.log(
      `${n} readings in ${gateway.batches} batches, ${gateway.transfers} transfers into SQLite and ${gateway.acks} acks over ` +
        `${seconds / 60} simulated min; gateway ${JSON.stringify(gateway.io)}, per-reading ${JSON.stringify(raw)}`,
    );

    const perSecond = readingsPerSecond(home);
    const mbPerDay = (bytesPerReading: number): string => ((bytesPerReading * perSecond * 86_400) / 1e6).toFixed(0);
    const wchar = gateway.io.wchar / n;
    const blocks = gateway.io.writeBytes / n;
    const cadence =
      `${n} readings of ${home.specs.length} sensors (${perSecond.toFixed(2)}/s) in ${gateway.batches} journal appends, ` +
      `${gateway.transfers} transfers, ${gateway.acks} sync acks and the closing checkpoint over ${seconds / 60} simulated min`;
    const blockLayerSilent = gateway.io.writeBytes === 0 && raw.writeBytes === 0;
    const target = { on: 'value', op: '<=', limit: 256 } as const;
    return [
      {
        name: 'disk bytes per reading (wchar)',
        value: wchar,
        unit: 'B/reading',
        baseline: raw.wchar / n,
        baselineName: 'one raw INSERT transaction per reading',
        target,
        note: `${cadence}; ≈ ${mbPerDay(wchar)} MB/day handed to write() at this cadence`,
      },
      {
        name: 'disk bytes per reading (write_bytes)',
        value: blocks,
        unit: 'B/reading',
        baseline: raw.writeBytes / n,
        baselineName: 'one raw INSERT transaction per reading',
        ...(blockLayerSilent ? {} : { target }),
        note: blockLayerSilent
          ? `write_bytes stayed 0 on ${fileSystemOf(context.tmpDir)} (a container or tmpfs hides the block layer): not judged`
          : `≈ ${mbPerDay(blocks)} MB/day to the block layer on ${fileSystemOf(context.tmpDir)}, with the kernel's 30 s writeback emulated`,
      },
    ];
  },
};
