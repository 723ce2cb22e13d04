/**
 * `easygas doctor`'s checks: is this Pi ready for the config? Each check names
 * what it found and, when it fails, the exact fix. Everything the checks touch
 * comes through DoctorProbes (roots for /dev, /proc, /boot, /etc/group, /sys GPIO
 * and /run/systemd, plus the I2C, port, disk and cloud probes), so tests run them
 * on fake trees in a temp dir.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import type { GpioChipInfo } from '../../hardware/linux/gpio-chip.js';
import type { GatewayConfig } from '../config/schema.js';

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

export interface CheckResult {
  readonly name: string;
  readonly status: CheckStatus;
  readonly detail: string;
  /** What to do, for a fail or a warn. */
  readonly fix?: string;
}

export type I2cAnswer = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export interface DoctorProbes {
  /** Where /dev is (a temp dir in tests). */
  readonly devRoot: string;
  readonly procRoot: string;
  /** /boot/firmware then /boot: where config.txt and cmdline.txt live. */
  readonly bootDirs: readonly string[];
  readonly groupFile: string;
  readonly runDir: string;
  readonly user: { readonly name: string; readonly uid: number; readonly gid: number };
  findHeaderChip(gpioSysfsRoot: string): Promise<GpioChipInfo>;
  probeI2c(bus: number, address: number): Promise<I2cAnswer>;
  /** True when nothing listens on host:port. */
  portFree(host: string, port: number): Promise<boolean>;
  /** Free bytes on the filesystem holding `path` (or its nearest existing parent). */
  freeBytes(path: string): number;
  clockSynced(runDir: string): boolean;
  /** The cloud heartbeat with the stored credential; undefined when none is stored. */
  cloudCheck(): Promise<CheckResult | undefined>;
  /** The port the running gateway's own broker listens on (its API's MQTT url); undefined when none runs. */
  gatewayBrokerPort(): Promise<number | undefined>;
}

/** A path under /dev, moved under the probes' devRoot. */
function devPath(probes: DoctorProbes, path: string): string {
  return path.startsWith('/dev/') ? join(probes.devRoot, path.slice('/dev/'.length)) : path;
}

function hex(address: number): string {
  return `0x${address.toString(16).padStart(2, '0')}`;
}

const ENABLE_I2C = 'sudo raspi-config nonint do_i2c 0 (or add dtparam=i2c_arm=on to /boot/firmware/config.txt), then reboot';

export async function checkI2c(config: GatewayConfig, probes: DoctorProbes): Promise<CheckResult[]> {
  const chips = new Map<string, { bus: number; address: number; sensors: string[] }>();
  for (const s of config.sensors) {
    if (s.source.driver !== 'ads1115' && s.source.driver !== 'mq6') continue;
    const bus = s.source.bus ?? config.hardware.i2cBus;
    const key = `${bus}:${s.source.address}`;
    const chip = chips.get(key) ?? { bus, address: s.source.address, sensors: [] };
    chip.sensors.push(s.id);
    chips.set(key, chip);
  }
  if (chips.size === 0) return [{ name: 'I2C', status: 'skip', detail: 'no I2C sensor in the config' }];
  const results: CheckResult[] = [];
  const buses = new Set([...chips.values()].map((c) => c.bus));
  const present = new Set<number>();
  for (const bus of buses) {
    if (existsSync(join(probes.devRoot, `i2c-${bus}`))) {
      present.add(bus);
      results.push({ name: `I2C bus ${bus}`, status: 'pass', detail: `/dev/i2c-${bus} exists` });
    } else {
      results.push({ name: `I2C bus ${bus}`, status: 'fail', detail: `/dev/i2c-${bus} does not exist: I2C is not enabled`, fix: ENABLE_I2C });
    }
  }
  for (const chip of chips.values()) {
    const name = `I2C device ${hex(chip.address)} on bus ${chip.bus} (${chip.sensors.join(', ')})`;
    if (!present.has(chip.bus)) {
      results.push({ name, status: 'fail', detail: `cannot be reached: /dev/i2c-${chip.bus} is missing`, fix: ENABLE_I2C });
      continue;
    }
    const answer = await probes.probeI2c(chip.bus, chip.address);
    results.push(
      answer.ok
        ? { name, status: 'pass', detail: 'answers' }
        : {
            name,
            status: 'fail',
            detail: `no answer: ${answer.reason}`,
            fix: `check the ADS1115's wiring: VDD 3.3 V (pin 1), GND (pin 6), SDA to GPIO2 (pin 3), SCL to GPIO3 (pin 5); its ADDR pin sets the address (GND 0x48, VDD 0x49, SDA 0x4A, SCL 0x4B). See it with: i2cdetect -y ${chip.bus}`,
          },
    );
  }
  return results;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The console= devices the kernel was (or will be) started with. */
function consoles(probes: DoctorProbes): { device: string; where: string }[] {
  const sources = [join(probes.procRoot, 'cmdline'), ...probes.bootDirs.map((d) => join(d, 'cmdline.txt'))];
  const found: { device: string; where: string }[] = [];
  for (const where of sources) {
    const text = readText(where);
    if (text === undefined) continue;
    for (const m of text.matchAll(/(?:^|\s)console=([^,\s]+)/g)) if (m[1] !== undefined) found.push({ device: m[1], where });
  }
  return found;
}

export function checkSerial(config: GatewayConfig, probes: DoctorProbes): CheckResult[] {
  const ports = [...new Set(config.sensors.flatMap((s) => (s.source.driver === 'ultrasonic' ? [s.source.port] : [])))];
  if (ports.length === 0) return [{ name: 'serial port', status: 'skip', detail: 'no serial sensor in the config' }];
  const results: CheckResult[] = [];
  for (const port of ports) {
    const local = devPath(probes, port);
    if (!existsSync(local)) {
      results.push({
        name: `serial port ${port}`,
        status: 'fail',
        detail: `${port} does not exist`,
        fix:
          port.includes('serial0') || port.includes('ttyAMA') || port.includes('ttyS')
            ? 'enable the UART: add enable_uart=1 to /boot/firmware/config.txt (Pi 5: dtparam=uart0=on for GPIO14/15), then reboot'
            : 'plug the USB serial adapter in, or fix source.port (ls /dev/serial/by-id/)',
      });
      continue;
    }
    let real = local;
    try {
      real = realpathSync(local);
    } catch {
      // a dangling link is reported by existsSync above
    }
    const names = new Set([port.replace('/dev/', ''), real.split('/').at(-1) ?? '']);
    const held = consoles(probes).find((c) => names.has(c.device) || (c.device === 'serial0' && port === '/dev/serial0'));
    results.push(
      held === undefined
        ? { name: `serial port ${port}`, status: 'pass', detail: `present${real !== local ? ` (→ ${real.replace(probes.devRoot, '/dev')})` : ''}, no login console on it` }
        : {
            name: `serial port ${port}`,
            status: 'fail',
            detail: `the login console uses it (console=${held.device} in ${held.where})`,
            fix: `sudo raspi-config nonint do_serial_cons 1 (or remove console=${held.device},115200 from /boot/firmware/cmdline.txt), then reboot`,
          },
    );
  }
  return results;
}

export function requiredGroups(config: GatewayConfig): string[] {
  const groups = new Set<string>();
  for (const s of config.sensors) {
    if (s.source.driver === 'ads1115' || s.source.driver === 'mq6') groups.add('i2c');
    if (s.source.driver === 'contact') groups.add('gpio');
    if (s.source.driver === 'ultrasonic') groups.add('dialout');
  }
  if (Object.values(config.outputs).some((o) => o !== undefined)) groups.add('gpio');
  return [...groups].sort();
}

export function checkGroups(config: GatewayConfig, probes: DoctorProbes): CheckResult {
  const needed = requiredGroups(config);
  const { user } = probes;
  if (needed.length === 0) return { name: 'groups', status: 'skip', detail: 'no device needs a group' };
  if (user.uid === 0) return { name: 'groups', status: 'pass', detail: `root may open every device (the service runs with ${needed.join(', ')})` };
  const member = new Set<string>();
  for (const line of (readText(probes.groupFile) ?? '').split('\n')) {
    const [name, , gid, members] = line.split(':');
    if (name === undefined || name === '') continue;
    if (Number(gid) === user.gid || (members ?? '').split(',').includes(user.name)) member.add(name);
  }
  const missing = needed.filter((g) => !member.has(g));
  return missing.length === 0
    ? { name: 'groups', status: 'pass', detail: `${user.name} is in ${needed.join(', ')}` }
    : {
        name: 'groups',
        status: 'fail',
        detail: `${user.name} is not in ${missing.join(', ')}`,
        fix: `sudo usermod -aG ${missing.join(',')} ${user.name}, then log out and in (the service gets them from SupplementaryGroups=)`,
      };
}

export async function checkGpio(config: GatewayConfig, probes: DoctorProbes): Promise<CheckResult> {
  if (requiredGroups(config).includes('gpio') === false) return { name: 'GPIO', status: 'skip', detail: 'no GPIO line in the config' };
  const root = config.hardware.gpioSysfsRoot;
  try {
    const chip = await probes.findHeaderChip(root);
    return { name: 'GPIO chip', status: 'pass', detail: `header chip ${chip.label} (${chip.name}) at base ${chip.base}: GPIO17 is sysfs ${chip.base + 17}` };
  } catch (err) {
    const hint = (err as { hint?: string }).hint;
    return {
      name: 'GPIO chip',
      status: 'fail',
      detail: (err as Error).message,
      fix: existsSync(root)
        ? (hint ?? 'report the labels of cat /sys/class/gpio/gpiochip*/label')
        : `${root} is missing: on a Raspberry Pi enable CONFIG_GPIO_SYSFS (Raspberry Pi OS kernels have it) or fix hardware.gpioSysfsRoot; not on a Pi: run easygas gateway --simulate`,
    };
  }
}

export function checkDisk(config: GatewayConfig, dataDir: string, probes: DoctorProbes): CheckResult {
  const free = probes.freeBytes(dataDir);
  const needed = config.store.maxSize + 50e6;
  const mb = (n: number) => `${Math.round(n / 1e6)} MB`;
  return free >= needed
    ? { name: 'disk space', status: 'pass', detail: `${mb(free)} free for ${dataDir} (the store may use ${mb(config.store.maxSize)})` }
    : {
        name: 'disk space',
        status: 'fail',
        detail: `${mb(free)} free for ${dataDir}, the store may use ${mb(config.store.maxSize)} plus room to work`,
        fix: `free space (sudo journalctl --vacuum-size=50M; sudo apt clean) or lower store.maxSize to ${mb(Math.max(10e6, free - 50e6))}`,
      };
}

export function checkClock(probes: DoctorProbes): CheckResult {
  return probes.clockSynced(probes.runDir)
    ? { name: 'clock', status: 'pass', detail: 'synchronised (systemd-timesyncd)' }
    : {
        name: 'clock',
        status: 'fail',
        detail: 'not synchronised: a Pi has no real-time clock, readings would carry a wrong time (they are flagged)',
        fix: 'sudo timedatectl set-ntp true; check the network and `timedatectl timesync-status`',
      };
}

export async function checkBrokerPort(config: GatewayConfig, probes: DoctorProbes): Promise<CheckResult> {
  if (config.mqtt.mode !== 'embedded') return { name: 'MQTT port', status: 'skip', detail: `mqtt.mode is ${config.mqtt.mode}` };
  const { host, port } = config.mqtt;
  const name = `MQTT port ${port}`;
  if (await probes.portFree(host, port)) return { name, status: 'pass', detail: `free on ${host}` };
  // Only the gateway's own broker on this very port passes: in simulate mode it may have moved to the next free one.
  const own = await probes.gatewayBrokerPort();
  if (own === port) return { name, status: 'pass', detail: 'held by the running gateway’s own broker' };
  return {
    name,
    status: 'fail',
    detail: `another program listens on ${port}${own !== undefined ? ` (the running gateway’s broker is on ${own})` : ''}`,
    fix: `see who: sudo ss -ltnp 'sport = :${port}' (often Mosquitto: sudo systemctl disable --now mosquitto), or set mqtt.port to a free port, or mqtt.mode: external to use that broker`,
  };
}

export async function checkCloud(config: GatewayConfig, probes: DoctorProbes): Promise<CheckResult> {
  const result = await probes.cloudCheck();
  if (result !== undefined) return result;
  if (config.cloud.enabled === true) {
    return { name: 'cloud', status: 'fail', detail: 'cloud.enabled is true but this gateway has no credential', fix: 'easygas provision --cloud URL --code CODE (the app shows the code under Add gateway)' };
  }
  const why = config.cloud.enabled === false ? 'cloud sync is off (cloud.enabled: false)' : 'not provisioned: nothing leaves this Pi';
  return { name: 'cloud', status: 'skip', detail: `${why}; no credential is stored` };
}

export async function runDoctorChecks(config: GatewayConfig, dataDir: string, probes: DoctorProbes): Promise<CheckResult[]> {
  return [
    ...(await checkI2c(config, probes)),
    ...checkSerial(config, probes),
    checkGroups(config, probes),
    await checkGpio(config, probes),
    checkDisk(config, dataDir, probes),
    checkClock(probes),
    await checkBrokerPort(config, probes),
    await checkCloud(config, probes),
  ];
}
