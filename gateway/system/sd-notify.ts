/**
 * sd_notify(3) for a Type=notify unit: READY=1 once sampling runs, WATCHDOG=1
 * from the health check, STOPPING=1 on shutdown, STATUS= for `systemctl status`.
 * Node cannot send to a unix datagram socket by itself, so this uses the small
 * native unix-dgram module (an optional dependency) and falls back to spawning
 * `systemd-notify` (which needs NotifyAccess=all in the unit). Outside systemd
 * (no $NOTIFY_SOCKET) every call is a no-op.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import type { Logger } from '../../hardware/logger.js';

export interface Notifier {
  /** True when running under systemd with a notify socket. */
  readonly active: boolean;
  /** The watchdog interval systemd expects pings within (WATCHDOG_USEC), if any. */
  readonly watchdogMs: number | undefined;
  send(state: string): void;
  ready(status?: string): void;
  watchdog(): void;
  stopping(status?: string): void;
  status(text: string): void;
  /** Releases the socket (it would keep the process alive). */
  close(): void;
}

interface DgramSocket {
  send(buf: Buffer, offset: number, length: number, path: string, callback?: (err?: Error) => void): void;
  close(): void;
  on(event: 'error', listener: (err: Error) => void): void;
}

interface Transport {
  send(message: string): void;
  close(): void;
}

/** unix-dgram, loaded lazily so the daemon runs where it was not built. */
function dgramTransport(socketPath: string, logger: Logger): Transport | undefined {
  let socket: DgramSocket;
  try {
    const require = createRequire(import.meta.url);
    const unix = require('unix-dgram') as { createSocket(type: 'unix_dgram'): DgramSocket };
    socket = unix.createSocket('unix_dgram');
  } catch (err) {
    logger.debug({ err }, 'unix-dgram not available; falling back to systemd-notify');
    return undefined;
  }
  socket.on('error', (err) => logger.warn({ err }, 'sd_notify failed'));
  // An abstract socket name starts with '@' in $NOTIFY_SOCKET and NUL on the wire.
  const path = socketPath.startsWith('@') ? `\0${socketPath.slice(1)}` : socketPath;
  return {
    send(message) {
      const buf = Buffer.from(message);
      socket.send(buf, 0, buf.length, path, (err) => {
        if (err !== undefined && err !== null) logger.warn({ err, message }, 'sd_notify failed');
      });
    },
    close: () => socket.close(),
  };
}

function spawnTransport(logger: Logger): Transport {
  return {
    send(message) {
      const child = spawn('systemd-notify', [`--pid=${process.pid}`, ...message.split('\n')], { stdio: 'ignore' });
      child.on('error', (err) => logger.warn({ err, message }, 'systemd-notify failed'));
    },
    close: () => undefined,
  };
}

export interface NotifierOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly logger: Logger;
  /** Tests replace the transport. */
  readonly transport?: Transport;
}

export function systemdNotifier(options: NotifierOptions): Notifier {
  const env = options.env ?? process.env;
  const socketPath = env.NOTIFY_SOCKET;
  const watchdogUsec = Number(env.WATCHDOG_USEC);
  // WATCHDOG_PID names the process systemd watches; pings from anyone else are ignored.
  const forUs = env.WATCHDOG_PID === undefined || Number(env.WATCHDOG_PID) === process.pid;
  const watchdogMs = Number.isFinite(watchdogUsec) && watchdogUsec > 0 && forUs ? watchdogUsec / 1_000 : undefined;
  if (socketPath === undefined || socketPath === '') {
    const noop = (): void => undefined;
    return { active: false, watchdogMs, send: noop, ready: noop, watchdog: noop, stopping: noop, status: noop, close: noop };
  }
  const transport = options.transport ?? dgramTransport(socketPath, options.logger) ?? spawnTransport(options.logger);
  const send = (state: string): void => {
    try {
      transport.send(state);
    } catch (err) {
      options.logger.warn({ err, state }, 'sd_notify failed');
    }
  };
  return {
    active: true,
    watchdogMs,
    send,
    ready: (status) => send(status === undefined ? 'READY=1' : `READY=1\nSTATUS=${status}`),
    watchdog: () => send('WATCHDOG=1'),
    stopping: (status) => send(status === undefined ? 'STOPPING=1' : `STOPPING=1\nSTATUS=${status}`),
    status: (text) => send(`STATUS=${text}`),
    close: () => transport.close(),
  };
}
