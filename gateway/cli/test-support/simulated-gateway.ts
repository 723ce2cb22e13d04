/**
 * A real `easygas gateway --simulate` process in a temp data dir, for the CLI's
 * end-to-end tests: MQTT off, the control API on an ephemeral port (found, as
 * the CLI finds it, in <dataDir>/api.json). Output is drained continuously; the
 * test waits for the daemon's own "control API" log line, never a fixed sleep.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { readApiAddress } from '../../api/api-address-file.js';
import { exampleConfigPath } from '../../system/package-info.js';
import type { CliIo } from '../cli-io.js';
import { buildProgram } from '../program.js';

export const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

export interface SimulatedGateway {
  readonly dir: string;
  readonly dataDir: string;
  readonly configPath: string;
  readonly url: string;
  /** Everything the daemon printed so far (for failure messages). */
  output(): string;
  /** SIGTERM, then SIGKILL after 15 s; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export interface SimulatedGatewayOptions {
  readonly patch?: (doc: Record<string, unknown>) => void;
  /**
   * The simulated clock's speed; default 1. Faster clocks shrink the drivers' timeouts
   * in real time (1 s at 60× is 17 ms), which a loaded 2-core test machine misses.
   */
  readonly speed?: number;
  /** Files to put in the data dir before the daemon starts. */
  readonly dataFiles?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
  /** --api-port; default 0 (any free port). */
  readonly apiPort?: number;
  /** --scenario: what goes wrong in the simulated home (gas-leak, water-leak…). */
  readonly scenario?: string;
}

export function writeTestConfig(dir: string, patch?: (doc: Record<string, unknown>) => void): string {
  const doc = YAML.parse(readFileSync(exampleConfigPath(), 'utf8')) as Record<string, unknown>;
  doc.mqtt = { ...(doc.mqtt as object), mode: 'off' }; // the machine's Mosquitto holds 1883
  patch?.(doc);
  const path = join(dir, 'gateway.yaml');
  writeFileSync(path, YAML.stringify(doc));
  return path;
}

export async function startSimulatedGateway(options: SimulatedGatewayOptions = {}): Promise<SimulatedGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'easygas-cli-'));
  const dataDir = join(dir, 'data');
  const configPath = writeTestConfig(dir, options.patch);
  if (options.dataFiles !== undefined) {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dataDir, { recursive: true });
    for (const [name, text] of Object.entries(options.dataFiles)) writeFileSync(join(dataDir, name), text);
  }
  const args = ['--import', 'tsx', MAIN, 'gateway', '--simulate', '--config', configPath, '--data-dir', dataDir, '--api-port', String(options.apiPort ?? 0), '--log-level', 'info'];
  args.push('--speed', String(options.speed ?? 1));
  if (options.scenario !== undefined) args.push('--scenario', options.scenario);
  const child: ChildProcessByStdio<null, Readable, Readable> = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, EASYGAS_CONFIG: '', EASYGAS_DATA_DIR: '' } });
  let output = '';
  const keep = (text: string): void => {
    output = (output + text).slice(-20_000);
  };
  child.stderr.on('data', (c: Buffer) => keep(c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const listening = new Promise<void>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    rl.on('line', (line) => {
      keep(`${line}\n`);
      if (line.includes('control API and status page on')) resolve();
    });
    void exited.then((code) => reject(new Error(`the gateway exited (${code}) before its API listened:\n${output}`)));
  });
  const timeoutMs = options.timeoutMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      listening,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the gateway's API did not listen within ${timeoutMs} ms:\n${output}`)), timeoutMs);
      }),
    ]);
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true });
    throw err;
  } finally {
    clearTimeout(timer);
  }
  const address = readApiAddress(dataDir);
  if (address === undefined) throw new Error(`no api.json in ${dataDir}`);
  return {
    dir,
    dataDir,
    configPath,
    url: address.url,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(killer);
      rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function collector(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  return { stream: new Writable({ write: (c: Buffer | string, _e, done) => (chunks.push(c.toString()), done()) }), text: () => chunks.join('') };
}

/** Runs `easygas <args>` in this process (fast): its own output streams and environment. */
export async function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}, stdin?: Readable, interactive = false): Promise<CliRun> {
  const out = collector();
  const err = collector();
  const io: CliIo = { stdout: out.stream, stderr: err.stream, ...(stdin !== undefined ? { stdin } : {}), interactive };
  const saved = process.exitCode;
  process.exitCode = undefined;
  const program = buildProgram(io, env).exitOverride();
  program.configureOutput({ writeOut: (s) => out.stream.write(s), writeErr: (s) => err.stream.write(s) });
  let code: number;
  try {
    await program.parseAsync(['node', 'easygas', ...args]);
    code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    code = (e as { exitCode?: number }).exitCode ?? 1;
  } finally {
    process.exitCode = saved;
  }
  return { code, stdout: out.text(), stderr: err.text() };
}
