/**
 * easygas doctor's checks on fake /dev, /proc, /boot, /etc/group and GPIO sysfs
 * trees in a temp dir (as hardware/linux/gpio-chip's tests do): a ready Pi passes
 * everything; each broken part fails with its exact fix. Then the command on this
 * machine (no I2C, no GPIO, Mosquitto on 1883) names each missing part and exits 1.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { findHeaderGpioChip } from '../../hardware/linux/gpio-chip.js';
import { exampleConfig } from '../app/test-support/daemon-rig.js';
import type { CheckResult, DoctorProbes } from './doctor-checks.js';
import { runDoctorChecks } from './doctor-checks.js';
import { runCli, startSimulatedGateway } from './test-support/simulated-gateway.js';

const roots: string[] = [];
after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

interface FakePi {
  readonly root: string;
  readonly probes: DoctorProbes;
  readonly gpioRoot: string;
}

/** A Raspberry Pi 4 that is ready: I2C on, UART on without console, user in every group. */
function fakePi(overrides: Partial<DoctorProbes> = {}, options: { cmdline?: string; groups?: string; chipLabel?: string } = {}): FakePi {
  const root = mkdtempSync(join(tmpdir(), 'easygas-doctor-'));
  roots.push(root);
  const dev = join(root, 'dev');
  mkdirSync(dev);
  writeFileSync(join(dev, 'i2c-1'), '');
  writeFileSync(join(dev, 'ttyS0'), '');
  symlinkSync(join(dev, 'ttyS0'), join(dev, 'serial0'));
  mkdirSync(join(root, 'proc'));
  writeFileSync(join(root, 'proc', 'cmdline'), options.cmdline ?? 'coherent_pool=1M 8250.nr_uarts=1 console=tty1 root=PARTUUID=1234-02 rootwait\n');
  writeFileSync(join(root, 'group'), options.groups ?? 'root:x:0:\ndialout:x:20:pi\ni2c:x:998:pi\ngpio:x:997:pi\npi:x:1000:\n');
  const gpioRoot = join(root, 'gpio');
  mkdirSync(join(gpioRoot, 'gpiochip512'), { recursive: true });
  writeFileSync(join(gpioRoot, 'gpiochip512', 'label'), `${options.chipLabel ?? 'pinctrl-bcm2711'}\n`);
  writeFileSync(join(gpioRoot, 'gpiochip512', 'base'), '512\n');
  writeFileSync(join(gpioRoot, 'gpiochip512', 'ngpio'), '58\n');
  const probes: DoctorProbes = {
    devRoot: dev,
    procRoot: join(root, 'proc'),
    bootDirs: [join(root, 'boot')],
    groupFile: join(root, 'group'),
    runDir: join(root, 'run'),
    user: { name: 'pi', uid: 1000, gid: 1000 },
    findHeaderChip: (r) => findHeaderGpioChip(r),
    probeI2c: () => Promise.resolve({ ok: true }),
    portFree: () => Promise.resolve(true),
    freeBytes: () => 8e9,
    clockSynced: () => true,
    cloudCheck: () => Promise.resolve({ name: 'cloud', status: 'pass', detail: 'accepted' }),
    gatewayBrokerPort: () => Promise.resolve(undefined),
    ...overrides,
  };
  return { root, probes, gpioRoot };
}

async function run(pi: FakePi): Promise<CheckResult[]> {
  const config = await exampleConfig((doc) => {
    (doc.hardware as Record<string, unknown>).gpioSysfsRoot = pi.gpioRoot;
  });
  return runDoctorChecks(config, join(pi.root, 'data'), pi.probes);
}

function find(results: readonly CheckResult[], name: RegExp): CheckResult {
  const found = results.find((r) => name.test(r.name));
  assert.ok(found, `no check ${String(name)} in ${results.map((r) => r.name).join(', ')}`);
  return found;
}

describe('doctor checks', () => {
  it('a ready Pi passes every check', async () => {
    const results = await run(fakePi());
    assert.deepEqual(results.filter((r) => r.status === 'fail'), []);
    assert.match(find(results, /GPIO chip/).detail, /base 512: GPIO17 is sysfs 529/);
    assert.match(find(results, /serial port/).detail, /→ \/dev\/ttyS0/);
  });

  it('the login console on the UART: fails with the raspi-config fix', async () => {
    const results = await run(fakePi({}, { cmdline: 'console=serial0,115200 console=tty1 root=PARTUUID=1234-02\n' }));
    const serial = find(results, /serial port/);
    assert.equal(serial.status, 'fail');
    assert.match(serial.detail, /console=serial0/);
    assert.match(serial.fix ?? '', /do_serial_cons 1/);
  });

  it('I2C off, a silent ADC, missing groups, an unknown GPIO chip, a full disk, no clock, a busy port, a rejected credential', async () => {
    const silent = await run(fakePi({ probeI2c: () => Promise.resolve({ ok: false, reason: 'no ACK (EREMOTEIO)' }) }));
    assert.match(find(silent, /I2C device 0x48/).fix ?? '', /i2cdetect -y 1/);

    const pi = fakePi(
      {
        freeBytes: () => 100e6,
        clockSynced: () => false,
        portFree: () => Promise.resolve(false),
        cloudCheck: () => Promise.resolve({ name: 'cloud', status: 'fail', detail: 'credential refused', fix: 'easygas provision --force' }),
      },
      { groups: 'dialout:x:20:pi\npi:x:1000:\n', chipLabel: 'raspberrypi-exp-gpio' },
    );
    rmSync(join(pi.probes.devRoot, 'i2c-1'));
    const results = await run(pi);
    const expectations: [RegExp, RegExp][] = [
      [/I2C bus 1/, /do_i2c 0/],
      [/groups/, /usermod -aG gpio,i2c pi/],
      [/GPIO chip/, /gpiochip/],
      [/disk space/, /store\.maxSize/],
      [/clock/, /set-ntp true/],
      [/MQTT port 1883/, /ss -ltnp/],
      [/cloud/, /provision/],
    ];
    for (const [name, fix] of expectations) {
      const check = find(results, name);
      assert.equal(check.status, 'fail', `${check.name}: ${check.detail}`);
      assert.match(check.fix ?? '', fix, check.name);
    }
  });

  it('the broker port held by the running gateway itself passes', async () => {
    const results = await run(fakePi({ portFree: () => Promise.resolve(false), gatewayBrokerPort: () => Promise.resolve(1883) }));
    assert.equal(find(results, /MQTT port/).status, 'pass');
  });

  it('the broker port held by another program fails even while the gateway’s broker runs on another port', async () => {
    const results = await run(fakePi({ portFree: () => Promise.resolve(false), gatewayBrokerPort: () => Promise.resolve(1884) }));
    const check = find(results, /MQTT port 1883/);
    assert.equal(check.status, 'fail');
    assert.match(check.detail, /another program listens on 1883 \(the running gateway’s broker is on 1884\)/);
  });
});

describe('easygas doctor on this machine (no I2C, no GPIO)', () => {
  it('names each missing part with its fix and exits 1', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'easygas-doctor-data-'));
    roots.push(dataDir);
    const res = await runCli(['doctor', '--data-dir', dataDir, '--json'], {});
    assert.equal(res.code, 1, res.stderr);
    const report = JSON.parse(res.stdout) as { ok: boolean; checks: CheckResult[] };
    assert.equal(report.ok, false);
    const i2c = find(report.checks, /I2C bus 1/);
    assert.equal(i2c.status, 'fail');
    assert.match(i2c.fix ?? '', /dtparam=i2c_arm=on/);
    const gpio = find(report.checks, /GPIO chip/);
    assert.equal(gpio.status, 'fail');
    assert.ok((gpio.fix ?? '').length > 20);
    assert.match(res.stderr, /check\(s\) failed/);
  });

  it('does not take Mosquitto on 1883 for the gateway’s own broker, which simulate mode moved to the next free port', async (t) => {
    const gw = await startSimulatedGateway({ patch: (doc) => (doc.mqtt = { ...(doc.mqtt as object), mode: 'embedded' }) });
    t.after(() => gw.stop());
    assert.equal(await portTaken(1883), true, 'this test needs a broker (Mosquitto) on 127.0.0.1:1883');
    const res = await runCli(['doctor', '--config', gw.configPath, '--data-dir', gw.dataDir, '--json'], {});
    const report = JSON.parse(res.stdout) as { checks: CheckResult[] };
    const check = find(report.checks, /MQTT port 1883/);
    assert.equal(check.status, 'fail', check.detail);
    assert.match(check.detail, /another program listens on 1883 \(the running gateway’s broker is on 18\d\d\)/);
    assert.match(check.fix ?? '', /sudo ss -ltnp/);
  });
});

function portTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}
