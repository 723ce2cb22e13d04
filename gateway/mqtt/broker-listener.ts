/**
 * The embedded broker's sockets: MQTT over TCP and over WebSocket (subprotocol
 * "mqtt"), each handing its connections to aedes. When a port is taken, probe it
 * with an MQTT CONNECT, so the log can say "another MQTT broker" (Mosquitto, on
 * most Pis that have one) rather than just "in use".
 */
import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export type ConnectionHandler = (stream: Duplex, request?: IncomingMessage) => unknown;

export interface Listener {
  readonly port: number;
  close(): Promise<void>;
}

/** Closes a server and destroys the connections it still holds (aedes closes its clients first). */
function closer(server: Server, sockets: Set<Socket>): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
}

function tracked(server: Server): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return sockets;
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.once('listening', () => {
      server.removeListener('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
    server.listen(port, host);
  });
}

/** MQTT over TCP; rejects with the socket error (EADDRINUSE, EACCES…). */
export async function listenTcp(handle: ConnectionHandler, host: string, port: number): Promise<Listener> {
  const server = createServer((socket) => handle(socket));
  const sockets = tracked(server);
  const bound = await listen(server, host, port);
  return { port: bound, close: closer(server, sockets) };
}

/** MQTT over WebSocket (Home Assistant's browser cards, mqtt.js in a page). */
export async function listenWebSocket(handle: ConnectionHandler, host: string, port: number): Promise<Listener> {
  // Loaded only when a WebSocket port is configured: ws brings zlib, tls and ~250 KB of source.
  const { createWebSocketStream, WebSocketServer } = await import('ws');
  const server = createHttpServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain' }).end('MQTT over WebSocket only (subprotocol "mqtt")\n');
  });
  const sockets = tracked(server);
  const wss = new WebSocketServer({
    server,
    handleProtocols: (protocols) => (protocols.has('mqtt') ? 'mqtt' : protocols.has('mqttv3.1') ? 'mqttv3.1' : false),
  });
  wss.on('connection', (ws, request) => {
    const stream = createWebSocketStream(ws);
    stream.on('error', () => ws.terminate());
    handle(stream, request);
  });
  const bound = await listen(server, host, port);
  const closeHttp = closer(server, sockets);
  return {
    port: bound,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await closeHttp();
    },
  };
}

/** A minimal MQTT 3.1.1 CONNECT (clean session, keep-alive 60 s, client id "easygas-probe"). */
function connectPacket(): Buffer {
  const id = Buffer.from('easygas-probe');
  const body = Buffer.concat([Buffer.from([0, 4]), Buffer.from('MQTT'), Buffer.from([4, 2, 0, 60, 0, id.length]), id]);
  return Buffer.concat([Buffer.from([0x10, body.length]), body]);
}

/** Whether an MQTT broker answers on host:port (any CONNACK, even "not authorised", counts). */
export function probeMqtt(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  const target = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return new Promise((resolve) => {
    const socket = connect({ host: target, port });
    let answered = false;
    const finish = (isBroker: boolean): void => {
      if (answered) return;
      answered = true;
      socket.destroy();
      resolve(isBroker);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write(connectPacket()));
    socket.once('data', (data: Buffer) => {
      if (data[0] === 0x20) socket.write(Buffer.from([0xe0, 0])); // DISCONNECT, politely
      finish(data[0] === 0x20);
    });
  });
}
