/**
 * A store worker for tests that dies in the worst moment: right after a commit,
 * before its acknowledgement leaves. A file `<dataDir>/crash-after-commit` arms it
 * for one crash; its content picks the commit: 'readings' or 'events'.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { runStoreWorker, type WorkerPort } from '../store-worker-host.js';
import type { FromWorker, StoreWorkerData } from '../worker-protocol.js';

const data = workerData as StoreWorkerData;
const trigger = join(data.dataDir, 'crash-after-commit');
const port = parentPort;

const COMMIT_OF = { readings: 'readings-committed', events: 'event-committed' } as const;

if (port !== null) {
  const wrapped: WorkerPort = {
    on: port.on.bind(port),
    close: () => port.close(),
    postMessage: (message: FromWorker) => {
      if (existsSync(trigger)) {
        const armed = readFileSync(trigger, 'utf8').trim() as keyof typeof COMMIT_OF;
        if (message.type === COMMIT_OF[armed]) {
          rmSync(trigger);
          process.exit(1); // ends this thread only; the commit is in the database, its acknowledgement is not sent
        }
      }
      port.postMessage(message);
    },
  };
  runStoreWorker(wrapped, data);
}
