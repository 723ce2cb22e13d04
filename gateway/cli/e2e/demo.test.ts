/**
 * `npm start` (easygas demo) end to end: the cloud starts, the simulated gateway is
 * provisioned to it without a claim code being typed, and its readings arrive in the
 * cloud; a second start reuses the same gateway instead of registering another;
 * the gas-leak scenario prints the alarm email the cloud would send.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { DEMO_ACCOUNT } from '../demo-command.js';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const cwd = mkdtempSync(join(tmpdir(), 'easygas-demo-'));
after(() => rmSync(cwd, { recursive: true, force: true }));

interface Demo {
  readonly child: ChildProcess;
  readonly url: Promise<string>;
  /** The line telling where the dashboard is and how to sign in. */
  readonly dashboard: Promise<string>;
  readonly exit: Promise<number | null>;
  readonly stderr: () => string;
  readonly stdout: () => string;
}

function startDemo(historyDays: number, extra: readonly string[] = [], dir = cwd): Demo {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('EASYGAS_SMTP_') && key !== 'EASYGAS_NOTIFY_CONFIG'));
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), join(ROOT, 'gateway/cli/main.ts'), 'demo', '--cloud-port', '0', '--history-days', String(historyDays), ...extra], {
    cwd: dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exit = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const lines = createInterface({ input: child.stdout });
  const url = new Promise<string>((done, fail) => {
    lines.on('line', (line) => {
      const m = /EasyGas cloud API on (http:\/\/[\d.]+:\d+)/.exec(line);
      if (m?.[1] !== undefined) done(m[1]);
    });
    void exit.then((code) => fail(new Error(`the demo exited with ${code} before the cloud was up: ${stderr}`)));
  });
  const dashboard = new Promise<string>((done, fail) => {
    lines.on('line', (line) => {
      if (/^(Open the dashboard|Cloud account of the demo household)/.test(line)) done(line);
    });
    void exit.then(() => fail(new Error('the demo exited without saying where the dashboard is')));
  });
  dashboard.catch(() => undefined);
  let stdout = '';
  lines.on('line', (line) => (stdout += `${line}\n`));
  return { child, url, dashboard, exit, stderr: () => stderr, stdout: () => stdout };
}

async function json<T>(url: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...init.headers } });
  assert.ok(res.ok, `${init.method ?? 'GET'} ${url}: ${res.status} ${await res.clone().text()}`);
  return (await res.json()) as T;
}

interface Device {
  readonly id: string;
  readonly ackedSeq: number;
}

async function signIn(url: string): Promise<{ authorization: string }> {
  const { accessToken } = await json<{ accessToken: string }>(`${url}/api/auth/login`, {
    method: 'POST',
    body: JSON.stringify({ email: DEMO_ACCOUNT.email, password: DEMO_ACCOUNT.password }),
  });
  return { authorization: `Bearer ${accessToken}` };
}

async function devices(url: string, headers: { authorization: string }): Promise<Device[]> {
  const body = await json<Device[] | { devices: Device[] }>(`${url}/api/devices`, { headers });
  return Array.isArray(body) ? body : body.devices;
}

interface History {
  readonly points: readonly { readonly at: number; readonly count: number }[];
}

/** The cloud's hourly history of the demo's LPG cylinder between two times. */
async function lpgHistory(url: string, headers: { authorization: string }, gatewayId: string, from: number, to: number): Promise<History> {
  const query = `from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}&bucket=1h`;
  return json<History>(`${url}/api/sensors/${encodeURIComponent(`${gatewayId}:lpg`)}/history?${query}`, { headers });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms`);
    await new Promise((done) => setTimeout(done, 250));
  }
}

describe('easygas demo (npm start)', () => {
  it('starts the cloud, provisions the simulated gateway to it, syncs its history and readings (none in the future), and reuses it on the next start', { timeout: 180_000 }, async (t) => {
    const first = startDemo(2);
    t.after(() => void (first.child.exitCode === null && first.child.kill('SIGKILL')));
    const url = await first.url;
    // npm start built the dashboard (prepare/prestart): the demo says where it is and how to sign in.
    assert.equal(await first.dashboard, `Open the dashboard at ${url}/ and sign in as ${DEMO_ACCOUNT.email} / ${DEMO_ACCOUNT.password}`);
    const auth = await signIn(url);
    const synced = await until('readings acknowledged by the cloud', async () => {
      const list = await devices(url, auth);
      return list.length === 1 && list[0]!.ackedSeq > 0 ? list[0] : undefined;
    });
    // The first start simulated the last two days before going live: the cloud gets them through sync.
    const startedAt = Date.now();
    const past = await until('two days of history in the cloud', async () => {
      const history = await lpgHistory(url, auth, synced.id, startedAt - 3 * 86_400_000, startedAt);
      const oldest = history.points[0];
      return oldest !== undefined && oldest.at < startedAt - 40 * 3_600_000 ? history : undefined;
    });
    assert.ok(past.points.length > 40, `an hourly history, not a few points: ${past.points.length}`);
    // The time-lapse starts in the past and catches up: nothing synced lies in the future.
    const sensors = await json<{ sensorId: string; lastReadingAt: number | null }[]>(`${url}/api/sensors`, { headers: auth });
    const checkedAt = Date.now();
    assert.ok(sensors.length > 0);
    for (const s of sensors) assert.ok((s.lastReadingAt ?? 0) <= checkedAt, `${s.sensorId}: last reading at ${s.lastReadingAt}, after now (${checkedAt})`);
    first.child.kill('SIGINT');
    assert.equal(await first.exit, 0, first.stderr());

    const second = startDemo(2); // the history is filled once: this start goes straight to live
    t.after(() => void (second.child.exitCode === null && second.child.kill('SIGKILL')));
    const url2 = await second.url;
    const auth2 = await signIn(url2);
    const again = await until('the same gateway syncing on', async () => {
      const list = await devices(url2, auth2);
      return list.length === 1 && list[0]!.ackedSeq > synced.ackedSeq ? list : undefined;
    });
    assert.equal(again[0]!.id, synced.id, 'the same gateway, not a second one');
    second.child.kill('SIGINT');
    assert.equal(await second.exit, 0, second.stderr());
  });
});

describe('easygas demo --scenario gas-leak', () => {
  it('prints the alarm email the cloud sends to the demo account (no SMTP relay set), with no secret in it', { timeout: 180_000 }, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'easygas-demo-gas-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const demo = startDemo(0, ['--scenario', 'gas-leak'], dir);
    t.after(() => void (demo.child.exitCode === null && demo.child.kill('SIGKILL')));
    await demo.url;
    const email = await until('the alarm email in the output', () => {
      const m = /──── email to demo@easygas\.local[^\n]*\nSubject: ALARM: Kitchen gas sniffer: gas alarm\n[\s\S]*?\n────\n/.exec(demo.stdout());
      return Promise.resolve(m?.[0]);
    }, 120_000);
    assert.match(email, /What to do now:/);
    assert.match(email, /Do not switch lights or appliances on or off/);
    assert.doesNotMatch(demo.stdout(), /token=/, 'no link token is ever printed');
    demo.child.kill('SIGINT');
    assert.equal(await demo.exit, 0, demo.stderr());
  });
});
