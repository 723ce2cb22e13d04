/**
 * The store's worker_thread entry: disk stalls happen on this thread, never on the
 * one that sounds the buzzer. Started by store-client.ts only (.ts under tsx, .js in dist/).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runStoreWorker } from './store-worker-host.js';
import type { StoreWorkerData } from './worker-protocol.js';

if (parentPort !== null) runStoreWorker(parentPort, workerData as StoreWorkerData);
