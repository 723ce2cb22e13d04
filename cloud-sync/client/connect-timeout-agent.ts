/**
 * An HTTP(S) keep-alive agent whose sockets give up when the TCP (and TLS)
 * handshake takes longer than `connectTimeoutMs`. axios's `timeout` bounds the
 * whole exchange; without this, a SYN into a black hole (a router that drops
 * packets) would hold the one batch in flight for the full response timeout.
 */
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

function guardConnect(socket: Duplex | null | undefined, connectTimeoutMs: number, secure: boolean): void {
  if (socket === null || socket === undefined) return;
  const s = socket as Socket;
  const timer = setTimeout(() => {
    s.destroy(Object.assign(new Error(`could not connect within ${connectTimeoutMs} ms`), { code: 'ECONNECTTIMEOUT' }));
  }, connectTimeoutMs);
  timer.unref();
  const done = (): void => clearTimeout(timer);
  s.once(secure ? 'secureConnect' : 'connect', done);
  s.once('close', done);
}

export function connectTimeoutAgents(connectTimeoutMs: number): { readonly http: http.Agent; readonly https: https.Agent } {
  class HttpAgent extends http.Agent {
    override createConnection(options: http.ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
      const socket = super.createConnection(options, callback);
      guardConnect(socket, connectTimeoutMs, false);
      return socket;
    }
  }
  class HttpsAgent extends https.Agent {
    override createConnection(options: http.ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
      const socket = super.createConnection(options, callback);
      guardConnect(socket, connectTimeoutMs, true);
      return socket;
    }
  }
  // One socket: one batch in flight per gateway, and no idle sockets piling up.
  return { http: new HttpAgent({ keepAlive: true, maxSockets: 2 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 2 }) };
}
