/**
 * Wi-Fi node readings per second through the embedded broker (users, ACL, SQLite
 * persistence), the node validation, the pipeline and alarms, into the store —
 * timed until the last batch has committed — against aedes's raw publish rate in
 * the same run: the same 50 node clients (in their own process) publishing the same
 * readings to a bare aedes broker with one in-process subscriber. Rounds alternate
 * and each side reports its best, as in the throughput bench.
 *
 * Then memory: the RSS of the compiled daemon (`easygas gateway --simulate`) with
 * 200 MQTT clients connected, beside its own RSS before they came.
 */
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import YAML from 'yaml';
import { mqttFactory } from '../../gateway/app/mqtt-wiring.js';
import { AlarmController } from '../../gateway/alarms/alarm-controller.js';
import { Annunciator } from '../../gateway/alarms/annunciator.js';
import { parseConfig } from '../../gateway/config/load.js';
import { toPipelineSpecs } from '../../gateway/config/pipeline-spec.js';
import type { GatewayConfig } from '../../gateway/config/schema.js';
import { listenTcp } from '../../gateway/mqtt/broker-listener.js';
import { hashPassword } from '../../gateway/mqtt/password-hash.js';
import { SensorHub } from '../../gateway/sampling/sensor-hub.js';
import { InProcessStore } from '../../gateway/store/in-process-store.js';
import { systemClock } from '../../hardware/clock.js';
import { silentLogger } from '../../hardware/logger.js';
import { EXAMPLE_CONFIG_URL } from './example-home.js';
import type { Bench, BenchContext, Figure } from './harness.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FLEET = join(import.meta.dirname, 'mqtt-node-fleet.ts');
const NODES = 50;
const RSS_CLIENTS = 200;
const USER = { username: 'nodes', password: 'bench-nodes-password' };

function waitMs(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function until(what: string, probe: () => boolean, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await waitMs(2);
  }
}

/** The node fleet process and its IPC round trips. */
class Fleet {
  readonly #child: ChildProcess;
  constructor() {
    this.#child = fork(FLEET, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  }
  #ask(message: object, answer: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const onMessage = (reply: { type: string }): void => {
        if (reply.type !== answer) return;
        this.#child.off('message', onMessage);
        this.#child.off('exit', onExit);
        resolve();
      };
      const onExit = (code: number | null): void => reject(new Error(`the node fleet exited with ${code}`));
      this.#child.on('message', onMessage);
      this.#child.once('exit', onExit);
      this.#child.send(message);
    });
  }
  connect(url: string, clients: number, credentials?: { username: string; password: string }): Promise<void> {
    return this.#ask({ type: 'connect', url, clients, ...credentials }, 'connected');
  }
  publish(perClient: number): Promise<void> {
    return this.#ask({ type: 'publish', perClient }, 'published');
  }
  async close(): Promise<void> {
    if (this.#child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    this.#child.send({ type: 'close' });
    await exited;
  }
}

/** aedes as it comes (in-memory persistence, no auth), one in-process subscriber counting. */
async function rawRate(perClient: number): Promise<number> {
  const broker = await Aedes.createBroker();
  const listener = await listenTcp((stream) => broker.handle(stream), '127.0.0.1', 0);
  let received = 0;
  await new Promise<void>((resolve) =>
    broker.subscribe('easygas/nodes/+/reading', (_packet, done) => {
      received++;
      done();
    }, resolve),
  );
  const fleet = new Fleet();
  try {
    await fleet.connect(`mqtt://127.0.0.1:${listener.port}`, NODES);
    const total = NODES * perClient;
    const start = performance.now();
    await fleet.publish(perClient);
    await until('every raw message', () => received >= total);
    return total / ((performance.now() - start) / 1000);
  } finally {
    await fleet.close();
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    await listener.close();
  }
}

/** The example home plus 50 Wi-Fi node thermometers and a user that may publish for all of them. */
async function nodeHome(): Promise<GatewayConfig> {
  const doc = YAML.parse(readFileSync(EXAMPLE_CONFIG_URL, 'utf8')) as { sensors: unknown[]; mqtt: Record<string, unknown> };
  const nodes = Array.from({ length: NODES }, (_, i) => `node-${i}`);
  doc.sensors.push(...nodes.map((node) => ({ id: node, name: `Node ${node}`, kind: 'temperature', interval: '10s', source: { driver: 'mqtt', node } })));
  doc.mqtt = { ...doc.mqtt, users: [{ username: USER.username, passwordHash: await hashPassword(USER.password), nodes }] };
  const loaded = parseConfig(YAML.stringify(doc), { env: {} });
  if (!loaded.ok) throw new Error(`bench config: ${loaded.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  return loaded.config;
}

/** The gateway's way: broker (auth, ACL, mqtt.db) → node validation → hub (pipeline, alarms) → store. */
async function gatewayRate(config: GatewayConfig, perClient: number, dataDir: string): Promise<number> {
  mkdirSync(dataDir, { recursive: true });
  const clock = systemClock();
  const store = new InProcessStore({
    dataDir, clock, logger: silentLogger,
    batchIntervalMs: config.store.batchInterval, batchMaxRows: config.store.batchMaxRows, retention: { maxSizeBytes: config.store.maxSize },
  });
  const alarms = new AlarmController({
    clock, annunciator: new Annunciator({}, silentLogger), hushMs: config.alarms.hush, testDurationMs: config.alarms.testDuration,
    allSensorsHealthy: () => hub.allHealthy(), logger: silentLogger,
  });
  const hub: SensorHub = new SensorHub({ specs: toPipelineSpecs(config), clock, clockSynced: () => true, alarms, logger: silentLogger });
  let stored = 0;
  hub.addConsumer({ name: 'store', reading: (r) => {
    if (r.sensorId.startsWith('node-')) stored++;
    store.appendReading(r);
  } });
  alarms.start();
  const factory = await mqttFactory({ config, gatewayId: 'bench', dataDir, version: 'bench', logger: silentLogger, timers: clock, overrides: { port: 0 } });
  if (factory === undefined) throw new Error('mqtt is off in the bench config');
  const service = factory({ hub, alarms, clock, clockSynced: () => true });
  await service.start();
  const url = service.stats().link.url;
  if (url === undefined) throw new Error(`the embedded broker did not listen: ${service.stats().link.lastError ?? '?'}`);
  const fleet = new Fleet();
  try {
    await fleet.connect(url, NODES, USER);
    const total = NODES * perClient;
    const start = performance.now();
    await fleet.publish(perClient);
    await until('every node reading in the pipeline', () => stored >= total);
    const { pending } = await store.flush();
    const seconds = (performance.now() - start) / 1000;
    if (pending !== 0) throw new Error(`${pending} readings still waiting after the flush`);
    const rejected = Object.values(service.stats().nodes.rejected).reduce((a, b) => a + b, 0);
    if (rejected !== 0) throw new Error(`${rejected} bench readings were rejected`);
    return total / seconds;
  } finally {
    await fleet.close();
    await service.stop();
    await store.close();
  }
}

function rssMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? Number.NaN);
  return kb / 1024;
}

/** The steady RSS of a process: the last of several samples a little apart. */
async function steadyRss(pid: number, samples: number): Promise<number> {
  let last = Number.NaN;
  for (let i = 0; i < samples; i++) {
    await waitMs(500);
    last = rssMb(pid);
  }
  return last;
}

/** The compiled daemon on the simulated home: its RSS alone, then with 200 MQTT clients connected and subscribed. */
async function rssWithClients(context: BenchContext): Promise<{ before: number; after: number; note: string }> {
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'ignore' });
  if (build.status !== 0 && !existsSync(join(ROOT, 'dist', 'gateway', 'mqtt', 'gateway-mqtt.js'))) {
    throw new Error('npm run build failed: the RSS figure runs the compiled daemon');
  }
  const daemon = spawn(process.execPath, [join(ROOT, 'bin', 'easygas.js'), 'gateway', '--simulate', '--data-dir', join(context.tmpDir, 'rss-data'), '--log-level', 'info'], {
    cwd: context.tmpDir,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const clients: mqtt.MqttClient[] = [];
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: daemon.stdout });
      lines.on('line', (line) => {
        const m = /MQTT broker listening on (mqtt:\/\/[\d.]+:\d+)/.exec(line);
        if (m?.[1] !== undefined) resolve(m[1]);
      });
      daemon.once('exit', (code) => reject(new Error(`the daemon exited with ${code}`)));
    });
    daemon.stdout.resume();
    const settle = context.quick ? 4 : 10;
    const before = await steadyRss(daemon.pid!, settle);
    for (let i = 0; i < RSS_CLIENTS; i++) {
      const client = await mqtt.connectAsync(url, { clientId: `rss-${i}`, reconnectPeriod: 0 });
      await client.subscribeAsync('easygas/+/status');
      clients.push(client);
    }
    const after = await steadyRss(daemon.pid!, settle);
    context.log(`RSS ${before.toFixed(1)} MB alone, ${after.toFixed(1)} MB with ${RSS_CLIENTS} clients`);
    return { before, after, note: build.status === 0 ? '' : ' (build reported type errors elsewhere; dist used as emitted)' };
  } finally {
    await Promise.allSettled(clients.map((c) => c.endAsync()));
    if (daemon.exitCode === null) {
      const exited = new Promise<void>((resolve) => daemon.once('exit', () => resolve()));
      daemon.kill('SIGTERM');
      await exited;
    }
  }
}

export const mqttNodesBench: Bench = {
  name: 'mqtt-nodes',
  description: `${NODES} Wi-Fi node clients → embedded broker → pipeline → store, vs aedes's raw publish rate; daemon RSS with ${RSS_CLIENTS} MQTT clients`,
  async run(context) {
    const { quick, tmpDir, log } = context;
    const perClient = quick ? 100 : 2_000;
    const rounds = quick ? 1 : 3;
    const config = await nodeHome();
    let best = 0;
    let bestRaw = 0;
    for (let round = 0; round < rounds; round++) {
      const raw = await rawRate(perClient);
      const ours = await gatewayRate(config, perClient, join(tmpDir, `gateway-${round}`));
      log(`round ${round + 1}: raw aedes ${raw.toFixed(0)}/s, through the gateway ${ours.toFixed(0)}/s`);
      bestRaw = Math.max(bestRaw, raw);
      best = Math.max(best, ours);
    }
    const rss = await rssWithClients(context);
    const figures: Figure[] = [
      {
        name: 'mqtt node readings through broker, pipeline and store',
        value: best,
        unit: 'readings/s',
        baseline: bestRaw,
        baselineName: 'raw aedes publishes to one in-process subscriber',
        target: { on: 'ratio', op: '>=', limit: 0.5 },
        note: `${NODES} clients × ${perClient} readings (QoS 0), authenticated, ACL-checked, validated, stored; best of ${rounds}`,
      },
      {
        name: `daemon RSS with ${RSS_CLIENTS} MQTT clients`,
        value: rss.after,
        unit: 'MB',
        baseline: rss.before,
        baselineName: 'the same daemon before they connected',
        target: { on: 'ratio', op: '<=', limit: 1.25 },
        note: `${(((rss.after - rss.before) * 1024) / RSS_CLIENTS).toFixed(0)} KB per client; compiled simulate-mode daemon${rss.note}`,
      },
    ];
    return figures;
  },
};
