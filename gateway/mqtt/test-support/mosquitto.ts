/**
 * The real mosquitto clients as test peers: mosquitto_sub as a long-running
 * subscriber whose messages a test waits for (with a timeout, never a fixed sleep),
 * and mosquitto_pub for single messages or many at once (-l: one per line).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';

export interface Credentials {
  readonly user?: string;
  readonly password?: string;
}

export interface Message {
  readonly topic: string;
  readonly payload: string;
  /** The broker set the retain flag: a stored message delivered on subscribe. */
  readonly retained: boolean;
  /** The QoS it was delivered with. */
  readonly qos: number;
}

function credentialArgs(c: Credentials): string[] {
  return [...(c.user !== undefined ? ['-u', c.user] : []), ...(c.password !== undefined ? ['-P', c.password] : [])];
}

const FORMAT = 'MSG\t%r\t%q\t%t\t%p';

export interface SubscriberOptions extends Credentials {
  readonly host?: string;
  readonly port: number;
  readonly topics: readonly string[];
  readonly qos?: 0 | 1 | 2;
  /** A persistent session (-c) under this client id. */
  readonly clientId?: string;
  readonly persistent?: boolean;
}

/** A running mosquitto_sub. */
export class Subscriber {
  readonly messages: Message[] = [];
  /** Granted QoS per subscription (128 = refused), from the SUBACK. */
  readonly granted: number[] = [];
  stderr = '';
  readonly #child: ChildProcess;
  readonly #waiters = new Set<() => void>();
  readonly exited: Promise<number | null>;
  #subscribed = false;

  constructor(options: SubscriberOptions) {
    const args = [
      '-h', options.host ?? '127.0.0.1', '-p', String(options.port), '-d', '-F', FORMAT, '-q', String(options.qos ?? 0),
      ...credentialArgs(options), ...(options.clientId !== undefined ? ['-i', options.clientId] : []),
      ...(options.persistent === true ? ['-c'] : []), ...options.topics.flatMap((t) => ['-t', t]),
    ];
    // Line-buffered: mosquitto_sub's stdout to a pipe would otherwise hold lines back until 4 KiB.
    this.#child = spawn('stdbuf', ['-oL', 'mosquitto_sub', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => this.#child.once('exit', (code) => {
      this.#wake();
      resolve(code);
    }));
    this.#child.stderr?.on('data', (c: Buffer) => {
      this.stderr += c.toString();
      this.#wake();
    });
    const rl = createInterface({ input: this.#child.stdout! });
    rl.on('line', (line) => {
      const granted = /^Subscribed \(mid: \d+\): ([\d, ]+)$/.exec(line);
      if (granted !== null) {
        this.granted.push(...granted[1]!.split(',').map((g) => Number(g.trim())));
        this.#subscribed = true;
      } else if (line.startsWith('MSG\t')) {
        const [, retained, qos, topic, ...payload] = line.split('\t');
        this.messages.push({ topic: topic ?? '', payload: payload.join('\t'), retained: retained === '1', qos: Number(qos) });
      }
      this.#wake();
    });
  }

  #wake(): void {
    for (const w of this.#waiters) w();
  }

  /** Resolves with the first value `probe` returns (re-checked on every line); rejects after the timeout. */
  async until<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = probe();
      if (found !== undefined) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`mosquitto_sub: no ${what} within ${timeoutMs} ms\nstderr: ${this.stderr}\nmessages: ${this.messages.map((m) => `${m.topic} ${m.payload.slice(0, 80)}`).join('\n  ')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        const self = this.#waiters;
        function done(): void {
          clearTimeout(timer);
          self.delete(done);
          resolve();
        }
        self.add(done);
      });
    }
  }

  /** Waits for the SUBACK: from here on, live messages reach this subscriber. */
  subscribed(timeoutMs = 10_000): Promise<readonly number[]> {
    return this.until('SUBACK', () => (this.#subscribed ? this.granted : undefined), timeoutMs);
  }

  /** The first message (after `from`) on `topic` whose payload satisfies `accept`. */
  message(topic: string, accept: (m: Message) => boolean = () => true, timeoutMs = 10_000, from = 0): Promise<Message> {
    return this.until(`message on ${topic}`, () => this.messages.slice(from).find((m) => m.topic === topic && accept(m)), timeoutMs);
  }

  /** The latest message on each topic so far. */
  latest(): Map<string, Message> {
    const map = new Map<string, Message>();
    for (const m of this.messages) map.set(m.topic, m);
    return map;
  }

  /**
   * SIGTERM, then SIGKILL after a grace period: mosquitto_sub ignores SIGTERM while it
   * is reconnecting to a broker that closed on it, and a test must never hang on that.
   */
  async stop(graceMs = 2000): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    this.#child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'grace-over'>((resolve) => {
      timer = setTimeout(() => resolve('grace-over'), graceMs);
    });
    const first = await Promise.race([this.exited, graceOver]);
    clearTimeout(timer);
    if (first === 'grace-over') {
      this.#child.kill('SIGKILL');
      await this.exited;
    }
  }
}

export interface PublishOptions extends Credentials {
  readonly host?: string;
  readonly port: number;
  readonly topic: string;
  /** One message; or `lines` for one message per line (-l). Neither: an empty message (-n). */
  readonly message?: string;
  readonly lines?: readonly (string | Buffer)[];
  /** The message read whole from stdin (-s): large or binary payloads. */
  readonly stdin?: Buffer;
  readonly retain?: boolean;
  readonly qos?: 0 | 1 | 2;
  readonly clientId?: string;
  /** More mosquitto_pub options (--will-topic …). */
  readonly extra?: readonly string[];
}

export interface ProcessResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function publish(options: PublishOptions): Promise<ProcessResult> {
  const body =
    options.lines !== undefined ? ['-l'] : options.stdin !== undefined ? ['-s'] : options.message !== undefined ? ['-m', options.message] : ['-n'];
  const args = [
    '-h', options.host ?? '127.0.0.1', '-p', String(options.port), '-t', options.topic, '-q', String(options.qos ?? 0),
    ...credentialArgs(options), ...(options.retain === true ? ['-r'] : []), ...(options.clientId !== undefined ? ['-i', options.clientId] : []), ...(options.extra ?? []), ...body,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('mosquitto_pub', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => undefined); // the broker may close the connection first
    if (options.lines !== undefined) child.stdin.end(Buffer.concat(options.lines.map((l) => Buffer.concat([Buffer.from(l), Buffer.from('\n')]))));
    else if (options.stdin !== undefined) child.stdin.end(options.stdin);
    else child.stdin.end();
  });
}

/** Whether something accepts TCP connections on host:port (the machine's Mosquitto). */
export function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(1_000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Polls `probe` until it returns a value (not undefined/false) or the timeout passes: waits for an event, never a fixed time. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
