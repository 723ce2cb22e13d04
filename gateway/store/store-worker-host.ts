/**
 * What runs inside the store's worker_thread: one StoreService (GatewayStore +
 * batching + retention) answering StoreClient's messages over a port. Kept apart
 * from the entry file (store-worker.ts) so it can be hosted without starting itself.
 */
import type { MessagePort } from 'node:worker_threads';
import { systemClock } from '../../hardware/clock.js';
import type { Logger } from '../../hardware/logger.js';
import type { EventQuery, OutboxLimits, ReadingQuery } from './records.js';
import { StoreService } from './store-service.js';
import { serializeError, type FromWorker, type LogLevel, type StoreWorkerData, type ToWorker } from './worker-protocol.js';

/** The subset of a MessagePort the host uses (a test can wrap it). */
export type WorkerPort = Pick<MessagePort, 'postMessage' | 'on' | 'close'>;

export function runStoreWorker(port: WorkerPort, data: StoreWorkerData): void {
  const post = (message: FromWorker): void => port.postMessage(message);
  const log =
    (level: LogLevel) =>
    (fields: object, msg = ''): void =>
      post({ type: 'log', level, fields: { ...fields }, msg });
  const logger: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };

  const service = new StoreService({
    ...data.config,
    dataDir: data.dataDir,
    session: data.session,
    clock: systemClock(),
    logger,
    onReadingsCommitted: (through) => post({ type: 'readings-committed', through }),
  });

  port.on('message', (message: ToWorker) => {
    switch (message.type) {
      case 'reading':
        service.appendReading(message.reading, message.ref);
        return;
      case 'event': {
        const { ref } = message;
        service.recordEvent(message.event, {
          ref,
          onCommitted: (seq) => post({ type: 'event-committed', ref, seq }),
          onDropped: (reason) => post({ type: 'event-dropped', ref, reason }),
        });
        return;
      }
      case 'request':
        if (message.method === 'backup') {
          // The one long request: answered when the copy is done, the store writing on meanwhile.
          service.backup(message.args[0] as string).then(
            (value) => post({ type: 'response', id: message.id, ok: true, value }),
            (err: unknown) => post({ type: 'response', id: message.id, ok: false, error: serializeError(err) }),
          );
          return;
        }
        try {
          const value = answer(service, message.method, message.args);
          post({ type: 'response', id: message.id, ok: true, value });
        } catch (err) {
          post({ type: 'response', id: message.id, ok: false, error: serializeError(err) });
        }
        // After close the port goes too, and the thread ends once its timers are gone.
        if (message.method === 'close') port.close();
        return;
    }
  });
  post({ type: 'ready' });
}

function answer(service: StoreService, method: Extract<ToWorker, { type: 'request' }>['method'], args: readonly unknown[]): unknown {
  switch (method) {
    case 'readingsFor':
      return service.readingsFor(args[0] as string, args[1] as ReadingQuery | undefined);
    case 'latestReadings':
      return service.latestReadings();
    case 'events':
      return service.events(args[0] as EventQuery | undefined);
    case 'outbox':
      return service.outbox(args[0] as number, args[1] as OutboxLimits | undefined);
    case 'ack':
      return service.ack(args[0] as number);
    case 'backlog':
      return service.backlog();
    case 'stats':
      return service.stats();
    case 'metrics':
      return service.metrics();
    case 'flush':
      return service.flush();
    case 'close':
      return service.close();
    case 'backup':
      throw new Error('backup is answered asynchronously');
  }
}
