/**
 * Listens with the control API and publishes its address in <dataDir>/api.json;
 * close() removes the file first, so a CLI never finds a stale address of ours.
 */
import type { AddressInfo } from 'node:net';
import { isLoopback } from '../config/schema/sections.js';
import { removeApiAddress, writeApiAddress } from './api-address-file.js';
import { buildControlApi, type ControlApiOptions } from './control-api.js';

export interface ServeOptions extends ControlApiOptions {
  readonly host: string;
  /** 0: any free port (tests); the real one is in api.json. */
  readonly port: number;
  readonly dataDir: string;
}

export interface ServedApi {
  readonly url: string;
  close(): Promise<void>;
}

export class ApiListenError extends Error {
  override readonly name = 'ApiListenError';
  constructor(
    message: string,
    readonly hint: string,
    options?: { cause?: unknown; code?: string },
  ) {
    super(message, options);
    this.code = options?.code;
  }

  /** The listen error's code (EADDRINUSE…), when listening failed. */
  readonly code: string | undefined;
}

export async function serveControlApi(options: ServeOptions): Promise<ServedApi> {
  if (!isLoopback(options.host) && options.password === undefined) {
    throw new ApiListenError(`the control API would listen on ${options.host} without a password`, 'Set api.password in the config, or api.host: 127.0.0.1.');
  }
  const app = buildControlApi(options);
  try {
    await app.listen({ host: options.host, port: options.port });
  } catch (cause) {
    await app.close();
    const code = (cause as { code?: unknown }).code;
    if (code === 'EADDRINUSE') {
      throw new ApiListenError(`port ${options.port} is in use`, 'Another gateway (or program) holds it: stop it, or set api.port (EASYGAS_API_PORT) to a free port.', { cause, code });
    }
    throw new ApiListenError(`the control API cannot listen on ${options.host}:${options.port}: ${String(cause)}`, 'Check api.host and api.port in the config.', { cause });
  }
  const { port } = app.server.address() as AddressInfo;
  const wildcard = options.host === '0.0.0.0' || options.host === '::';
  const shown = wildcard ? '127.0.0.1' : options.host;
  const url = `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
  writeApiAddress(options.dataDir, { version: 1, url, host: options.host, port, pid: process.pid, startedAt: options.clock.now(), auth: options.password !== undefined });
  return {
    url,
    async close() {
      removeApiAddress(options.dataDir);
      await app.close();
    },
  };
}
