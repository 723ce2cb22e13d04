/**
 * The dashboard's live fan-out (issue 17): 1,000 WebSockets of one user open on the
 * cloud's /api/ws, authenticated and subscribed as the dashboard does; one level
 * reading POSTed through the ingest route; the time until each socket has it. The
 * baseline, in the same run: a bare `ws` server sending the very same message text
 * to 1,000 sockets — what fan-out costs with no ingest, no database, no event bus.
 * Both ends live in this process (the clients are `ws` clients speaking the browser's
 * protocol: 1,000 Chromium tabs would measure Chromium), so both figures include the
 * clients' parsing. Memory: heap and buffers held per open socket (both ends, after a full
 * collection), beside bare `ws`.
 */
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import WebSocket, { WebSocketServer } from 'ws';
import type { RunningCloud } from '../../cloud-sync/server/main.js';
import { api } from '../web-e2e/rig.js';
import { percentile, type Figure } from './harness.js';

export interface FanoutOptions {
  readonly sockets: number;
  readonly rounds: number;
  readonly log: (message: string) => void;
}

/** Open sockets that stamp the arrival of the message matching `marker`. */
class Receivers {
  readonly arrivals: number[] = [];
  marker = '';
  /** The last message that matched, verbatim. */
  lastText = '';
  constructor(readonly sockets: WebSocket[]) {
    for (const s of sockets) {
      s.on('message', (data: Buffer) => {
        const text = data.toString('utf8');
        // Parse as the browser does, then match: the cost of reading it is part of receiving it.
        JSON.parse(text);
        if (this.marker === '' || !text.includes(this.marker)) return;
        this.arrivals.push(performance.now());
        this.lastText = text;
      });
    }
  }

  /** Resolves when every socket has the message with `marker`, or rejects after `timeoutMs`. */
  async round(marker: string, send: () => Promise<void> | void, timeoutMs = 30_000): Promise<number[]> {
    this.arrivals.length = 0;
    this.marker = marker;
    const began = performance.now();
    await send();
    const deadline = began + timeoutMs;
    while (this.arrivals.length < this.sockets.length) {
      if (performance.now() > deadline) throw new Error(`only ${this.arrivals.length} of ${this.sockets.length} sockets received ${marker}`);
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.marker = '';
    return this.arrivals.map((t) => t - began);
  }

  /** Resolves once every socket has closed (so the next memory reading does not count them). */
  close(): Promise<void> {
    const closed = this.sockets.map((s) => (s.readyState === WebSocket.CLOSED ? Promise.resolve() : new Promise<void>((resolve) => s.once('close', () => resolve()))));
    for (const s of this.sockets) s.close();
    return Promise.all(closed).then(() => undefined);
  }
}

async function openAll(count: number, url: string, first: string | undefined, ready: (text: string) => boolean): Promise<WebSocket[]> {
  const sockets: WebSocket[] = [];
  for (let i = 0; i < count; i += 100) {
    const batch = Array.from({ length: Math.min(100, count - i) }, () => {
      const s = new WebSocket(url, { perMessageDeflate: false });
      s.on('error', () => undefined);
      return new Promise<WebSocket>((resolve, reject) => {
        s.once('error', reject);
        s.on('message', function onReady(data: Buffer) {
          if (!ready(data.toString('utf8'))) return;
          s.off('message', onReady);
          resolve(s);
        });
        s.once('open', () => (first === undefined ? resolve(s) : s.send(first)));
      });
    });
    sockets.push(...(await Promise.all(batch)));
  }
  return sockets;
}

// A collection before each reading, so the figure is what the sockets hold, not garbage the Chromium part left.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Live JS heap + buffers after a full collection, in MB. */
function heldMb(): number {
  gc();
  const m = process.memoryUsage();
  return (m.heapUsed + m.external) / 1e6;
}

export async function measureFanout(cloud: RunningCloud, token: string, o: FanoutOptions): Promise<Figure[]> {
  const { code } = await api<{ code: string }>(cloud, 'POST', '/api/devices/claim-codes', {}, token);
  const { credential } = await api<{ credential: string }>(cloud, 'POST', '/api/devices/register', { code, name: 'Fan-out Pi', version: 'bench' });
  let seq = 0;
  const ingest = async (at: number) => {
    seq++;
    const reading = { record: 'reading', seq, sensorId: 'lpg', sensorKind: 'level', at, value: 50, unit: '%', percent: 50, quality: 'ok', clockSynced: true };
    await api(cloud, 'POST', '/api/sensors/data', { afterSeq: seq - 1, lastSeq: seq, records: [reading] }, credential);
  };
  await ingest(Date.now() - 60_000); // the sensor exists before the rounds

  const liveUrl = `${cloud.url.replace(/^http/, 'ws')}/api/ws`;
  const auth = JSON.stringify({ type: 'auth', token, topics: ['readings', 'events', 'notifications', 'presence'] });
  const base = Date.now() - o.rounds - 2_000; // distinct reading times, never in the future

  // The text the hub sends for one reading, for the baseline to send verbatim.
  const probe = new Receivers(await openAll(1, liveUrl, auth, (t) => t.includes('"ready"')));
  await probe.round(`"at":${base - 1},`, () => ingest(base - 1));
  const message = probe.lastText;
  await probe.close();

  // The baseline first (so the cloud's sockets are not being freed while it is measured):
  // bare ws, the same message to the same number of sockets.
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const ends: WebSocket[] = [];
  server.on('connection', (ws) => {
    ends.push(ws);
    ws.send('{"type":"ready"}');
  });
  const bareBefore = heldMb();
  const bare = new Receivers(await openAll(o.sockets, `ws://127.0.0.1:${(server.address() as AddressInfo).port}`, undefined, (t) => t.includes('"ready"')));
  const bareHeld = (heldMb() - bareBefore) / o.sockets;
  const broadcast: number[] = [];
  try {
    // Round 0 warms the path up and is not counted (the cloud's is not either).
    for (let round = 0; round <= o.rounds; round++) {
      const marker = `"round":${round}`;
      const text = message.replace(/\}$/, `,${marker}}`);
      const took = await bare.round(marker, () => ends.forEach((ws) => ws.send(text)));
      if (round > 0) broadcast.push(...took);
    }
  } finally {
    const serverEnds = ends.map((ws) => (ws.readyState === WebSocket.CLOSED ? Promise.resolve() : new Promise<void>((resolve) => ws.once('close', () => resolve()))));
    await bare.close();
    await Promise.all(serverEnds);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    ends.length = 0;
  }

  // The cloud: sockets authenticated with the first message, subscribed as the dashboard does.
  const heldBefore = heldMb();
  const live = new Receivers(await openAll(o.sockets, liveUrl, auth, (t) => t.includes('"ready"')));
  const liveHeld = (heldMb() - heldBefore) / o.sockets;
  o.log(`${o.sockets} live sockets open and authenticated (${(liveHeld * 1000).toFixed(1)} KB of heap and buffers each, both ends); RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
  const pushed: number[] = [];
  try {
    for (let round = 0; round <= o.rounds; round++) {
      const took = await live.round(`"at":${base + round},`, () => ingest(base + round));
      if (round > 0) pushed.push(...took);
    }
  } finally {
    await live.close();
  }

  const note = `${o.sockets} sockets of one user × ${o.rounds} readings, ${pushed.length} deliveries; ${message.length} B message`;
  const baselineName = `a bare ws broadcast of the same message to ${o.sockets} sockets`;
  return [
    { name: `ingest to ${o.sockets} live sockets p50`, value: Math.round(percentile(pushed, 50) * 10) / 10, unit: 'ms', baseline: Math.round(percentile(broadcast, 50) * 10) / 10, baselineName, note },
    {
      name: `ingest to ${o.sockets} live sockets p99`,
      value: Math.round(percentile(pushed, 99) * 10) / 10,
      unit: 'ms',
      baseline: Math.round(percentile(broadcast, 99) * 10) / 10,
      baselineName,
      target: { on: 'value', op: '<=', limit: 500 },
      note,
    },
    {
      name: 'memory per open live socket (JS heap + buffers, both ends in this process)',
      value: Math.round(liveHeld * 10_000) / 10,
      unit: 'KB',
      baseline: Math.round(bareHeld * 10_000) / 10,
      baselineName: 'per bare ws socket (both ends)',
      note: `growth after a full GC opening ${o.sockets} sockets; the cloud's share holds the authenticated user and topics`,
    },
  ];
}
