/**
 * The victim of kill9.test.ts: opens the store through the worker client and writes
 * readings as fast as it can, plus an event every `eventEvery` readings. It prints
 * `event <n> <seq> <afterReading>` only once the event is committed, so the parent
 * knows exactly what must survive a kill -9.
 *
 *   node --import tsx kill9-child.ts <dataDir> <run> <eventEvery>
 */
import { StoreClient } from '../store-client.js';

const [dataDir, runArg, everyArg] = process.argv.slice(2);
if (dataDir === undefined || runArg === undefined || everyArg === undefined) {
  process.stderr.write('usage: kill9-child.ts <dataDir> <run> <eventEvery>\n');
  process.exit(2);
}
const run = Number(runArg);
const eventEvery = Number(everyArg);
const sensorId = `run-${run}`;
const store = new StoreClient({ dataDir, config: { batchMaxRows: 500, batchIntervalMs: 1000 } });
await store.ready();
process.stdout.write('ready\n');

const state = { reading: 0, event: 0 };
const pump = (): void => {
  for (let k = 0; k < 50; k++) {
    const i = ++state.reading;
    store.appendReading({
      sensorId, kind: 'level', at: Date.now(), mono: i, clockSynced: true, value: i, unit: '%', raw: i, quality: 'ok',
    });
    if (i % eventEvery === 0) {
      const n = ++state.event;
      store.recordEvent(
        { type: 'kill9_probe', sensorId, at: Date.now(), clockSynced: true, severity: 'info', message: `event ${n}`, data: { run, n, afterReading: i } },
        (seq) => process.stdout.write(`event ${n} ${seq} ${i}\n`),
      );
    }
  }
  setImmediate(pump);
};
pump();
