/**
 * Every read/act command against a real `easygas gateway --simulate` process:
 * the CLI finds the daemon through <dataDir>/api.json (ephemeral port), prints
 * text or --json, and reports errors on stderr with a non-zero exit and a hint.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MAIN, runCli, startSimulatedGateway, type SimulatedGateway } from '../test-support/simulated-gateway.js';

interface StatusJson {
  gateway: { id: string; name: string; now: number };
  sensors: { id: string; health: string; value?: number; quality?: string }[];
  alarms: unknown[];
  sync: { state: string; backlog: number };
}

function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, EASYGAS_CONFIG: '', EASYGAS_DATA_DIR: '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Polls the status until `check` passes (the daemon samples on its own schedule). */
/** Polls with a pause: each probe spawns a CLI process, and back-to-back spawns would starve the gateway under test. */
async function until<T>(what: string, probe: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms; last ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('easygas commands against a simulated gateway', { timeout: 120_000 }, () => {
  let gw: SimulatedGateway;
  let dir: string[];
  before(async () => {
    gw = await startSimulatedGateway();
    dir = ['--data-dir', gw.dataDir];
  });
  after(async () => {
    const code = await gw.stop();
    assert.equal(code, 0, gw.output());
  });

  it('status: every sensor with value, quality and health, alarms and the sync backlog (text and --json)', async () => {
    const status = await until(
      'every sensor read once',
      async () => JSON.parse((await runCli(['status', ...dir, '--json'])).stdout) as StatusJson,
      (s) => s.sensors.every((x) => x.value !== undefined) && s.sync.backlog > 0,
    );
    assert.deepEqual(status.sensors.map((s) => s.id), ['lpg', 'roof-tank', 'kitchen-gas', 'sink-leak']);
    assert.equal(status.sync.state, 'not-provisioned');
    const text = await runCli(['status', ...dir]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /lpg\s+LPG cylinder\s+\d+\.\d %/);
    assert.match(text.stdout, /Alarms: none/);
    assert.match(text.stdout, /Cloud sync: not-provisioned, \d+ record\(s\) waiting/);
  });

  it('finds the gateway from --config alone (its gateway.dataDir), and from EASYGAS_DATA_DIR', async () => {
    const env = { EASYGAS_GATEWAY_DATA_DIR: gw.dataDir };
    const viaConfig = await runCli(['sensors', '--config', gw.configPath, '--json'], env);
    assert.equal(viaConfig.code, 0, viaConfig.stderr);
    const viaEnv = await runCli(['sensors', '--json'], { EASYGAS_DATA_DIR: gw.dataDir });
    assert.equal(viaEnv.code, 0, viaEnv.stderr);
    assert.equal((JSON.parse(viaEnv.stdout) as { sensors: unknown[] }).sensors.length, 4);
  });

  it('read SENSOR: one live raw and calibrated read', async () => {
    const json = await runCli(['read', 'lpg', ...dir, '--json']);
    assert.equal(json.code, 0, json.stderr);
    const read = JSON.parse(json.stdout) as { raw: number; rawUnit: string; result: { value: number; unit: string; litres: number } };
    assert.equal(read.rawUnit, 'V');
    assert.ok(read.raw > 0.3 && read.raw < 2, `raw ${read.raw}`);
    assert.equal(read.result.unit, '%');
    const text = await runCli(['read', 'roof-tank', ...dir]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /raw: +\d+ mm/);
    assert.match(text.stdout, /height: +\d+ mm/);
    // Rounded for people; full precision stays in --json.
    const volts = await runCli(['read', 'lpg', ...dir]);
    assert.match(volts.stdout, /raw: +\d\.\d{4} V\n/);
    assert.doesNotMatch(volts.stdout, /\d\.\d{5,}/);
  });

  it('read of an unknown sensor: stderr says how to list them, non-zero exit', async () => {
    const run = await runCli(['read', 'attic', ...dir]);
    assert.notEqual(run.code, 0);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /no sensor "attic"/);
    assert.match(run.stderr, /easygas sensors/);
  });

  it('alarm test sounds the test; alarm silence with nothing sounding says so', async () => {
    const test = await runCli(['alarm', 'test', ...dir, '--json']);
    assert.equal(test.code, 0, test.stderr);
    const status = JSON.parse((await runCli(['status', ...dir, '--json'])).stdout) as { testing: boolean };
    assert.equal(status.testing, true);
    const silence = await runCli(['alarm', 'silence', ...dir]);
    assert.equal(silence.code, 0, silence.stderr);
    assert.match(silence.stdout, /Nothing was sounding|Silenced/);
  });

  it('sync status is "not-provisioned" with the store backlog; sync now says to provision and exits non-zero', async () => {
    const status = await until(
      'the backlog counted',
      async () => JSON.parse((await runCli(['sync', 'status', ...dir, '--json'])).stdout) as { state: string; backlog: number },
      (s) => s.backlog > 0,
    );
    assert.equal(status.state, 'not-provisioned');
    const now = await runCli(['sync', 'now', ...dir]);
    assert.notEqual(now.code, 0);
    assert.match(now.stderr, /sync is not-provisioned/);
    assert.match(now.stderr, /easygas provision --cloud URL --code CODE/);
  });

  it('readings SENSOR --since: text, --json and --csv of the stored rows', async () => {
    const rows = await until(
      'stored readings',
      async () => JSON.parse((await runCli(['readings', 'kitchen-gas', '--since', '1d', ...dir, '--json'])).stdout) as { readings: { seq: number; at: number }[] },
      (r) => r.readings.length >= 2,
    );
    const ats = rows.readings.map((r) => r.at);
    assert.deepEqual(ats, [...ats].sort((a, b) => a - b), 'oldest first');
    const csv = await runCli(['readings', 'kitchen-gas', '--since', '1d', '--limit', '2', ...dir, '--csv']);
    assert.equal(csv.code, 0, csv.stderr);
    const lines = csv.stdout.trim().split('\n');
    assert.equal(lines[0], 'seq,time,at,value,unit,raw,percent,litres,ppm,quality,clockSynced,downsampledCount');
    assert.equal(lines.length, 3);
    const bad = await runCli(['readings', 'kitchen-gas', '--since', 'yesterday-ish', ...dir]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /--since "yesterday-ish" is not a time/);
  });

  it('the installed binary: --help on every command, and a missing gateway named with what to do', async () => {
    const help = await spawnCli(['read', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--json/);
    assert.match(help.stdout, /--data-dir/);
    const missing = await spawnCli(['status', '--data-dir', join(gw.dir, 'elsewhere')]);
    assert.equal(missing.code, 69);
    assert.match(missing.stderr, /no running gateway found/);
    assert.match(missing.stderr, /--data-dir/);
  });

  it('api.json exists while the daemon runs (and the stop removes it: checked by the last test)', () => {
    assert.ok(existsSync(join(gw.dataDir, 'api.json')));
  });
});

describe('a simulated gateway whose API port is taken', { timeout: 60_000 }, () => {
  it('listens on a free port instead, and the CLI still finds it through api.json', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen({ host: '127.0.0.1', port: 0 }, resolve));
    const taken = (holder.address() as AddressInfo).port;
    try {
      const gw = await startSimulatedGateway({ apiPort: taken });
      try {
        assert.notEqual(new URL(gw.url).port, String(taken));
        assert.match(gw.output(), /port \d+ is in use; using a free one/);
        const run = await runCli(['sensors', '--data-dir', gw.dataDir, '--json']);
        assert.equal(run.code, 0, run.stderr);
      } finally {
        assert.equal(await gw.stop(), 0, gw.output());
      }
    } finally {
      holder.close();
    }
  });
});

describe('the daemon removes api.json when it stops', { timeout: 60_000 }, () => {
  it('SIGTERM: exit 0 and no api.json left', async () => {
    const gw = await startSimulatedGateway();
    const path = join(gw.dataDir, 'api.json');
    assert.ok(existsSync(path));
    // Stop a gateway that is fully up (the store has taken readings), as in service.
    await until('a stored reading', async () => JSON.parse((await runCli(['status', '--data-dir', gw.dataDir, '--json'])).stdout) as StatusJson, (s) => s.sync.backlog > 0);
    const dataDir = gw.dataDir;
    const code = await gw.stop();
    assert.equal(code, 0, gw.output());
    assert.equal(existsSync(join(dataDir, 'api.json')), false);
  });
});
