/**
 * Checks across sections of gateway.yaml: one thing per id, GPIO line, ADC input,
 * serial port and TCP port. They run on whatever parsed (see sound-parts.ts), so
 * they are reported together with every other mistake in the file.
 */
import { bcmForHeaderPin, describeLine } from '../../../hardware/gpio/header-pins.js';
import type { MqttConfig } from './mqtt.js';
import { hex } from './primitives.js';
import type { OUTPUT_NAMES } from './sections.js';
import type { PathKey, Parts } from './sound-parts.js';
import type { Driver, SourceConfig } from './sources.js';

/** The UART on GPIO14/15: a sensor on one of these claims those lines. */
export const HEADER_UART_PORTS: readonly string[] = ['/dev/serial0', '/dev/ttyS0', '/dev/ttyAMA0'];
export const I2C_LINES: readonly number[] = [2, 3];
export const UART_LINES: readonly number[] = [14, 15];

/** The parts of a parsed config these checks read. */
export interface CrossCheckInput {
  readonly sensors: readonly { readonly id: string; readonly source: SourceConfig }[];
  readonly outputs: Readonly<Partial<Record<(typeof OUTPUT_NAMES)[number], object | undefined>>>;
  readonly hardware: { readonly i2cBus: number };
  readonly mqtt: Pick<MqttConfig, 'mode' | 'port' | 'websocketPort'>;
  readonly api: { readonly port: number };
}

interface Claim {
  readonly path: readonly PathKey[];
  readonly who: string;
}

/** Reports the second and later claims on one key ("already used by …"). */
class ClaimBook {
  readonly #first = new Map<string, Claim>();
  constructor(private readonly parts: Parts) {}

  claim(key: string, claim: Claim, message: (first: Claim) => string): void {
    const first = this.#first.get(key);
    if (first === undefined) this.#first.set(key, claim);
    else this.parts.issue(claim.path, message(first));
  }
}

function sensorWho(input: CrossCheckInput, parts: Parts, i: number): string {
  const id = parts.sound('sensors', i, 'id') ? input.sensors[i]?.id : undefined;
  return id === undefined ? `sensors[${i}]` : `sensors[${i}] (${id})`;
}

/**
 * One sensor's source, read field by field: a field is only seen when it parsed,
 * so a typo in one field does not hide a conflict on another.
 */
class SourceView {
  constructor(
    readonly i: number,
    readonly driver: Driver,
    private readonly fields: Readonly<Record<string, unknown>>,
    private readonly parts: Parts,
  ) {}

  #field(key: string): unknown {
    return this.parts.sound('sensors', this.i, 'source', key) ? this.fields[key] : undefined;
  }

  number(key: string): number | undefined {
    const v = this.#field(key);
    return typeof v === 'number' ? v : undefined;
  }

  text(key: string): string | undefined {
    const v = this.#field(key);
    return typeof v === 'string' ? v : undefined;
  }
}

function sourceViews(input: CrossCheckInput, parts: Parts): SourceView[] {
  if (!Array.isArray(input.sensors)) return [];
  const views: SourceView[] = [];
  input.sensors.forEach((sensor: unknown, i) => {
    if (!isRecord(sensor) || !isRecord(sensor.source) || !parts.sound('sensors', i, 'source', 'driver')) return;
    views.push(new SourceView(i, sensor.source.driver as Driver, sensor.source, parts));
  });
  return views;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkIds(input: CrossCheckInput, parts: Parts): void {
  const book = new ClaimBook(parts);
  input.sensors.forEach((sensor, i) => {
    if (!parts.sound('sensors', i, 'id') || !isRecord(sensor)) return;
    book.claim(sensor.id, { path: ['sensors', i, 'id'], who: `sensors[${i}]` }, (first) => `"${sensor.id}" is already the id of ${first.who}; ids must be unique`);
  });
}

/** The BCM line a block names (gpio, else headerPin), and the field it was named by. */
function namedLine(number: (key: string) => number | undefined): { line: number; field: 'gpio' | 'headerPin' } | undefined {
  const pin = number('headerPin');
  const bcm = pin === undefined ? undefined : bcmForHeaderPin(pin);
  if (bcm !== undefined) return { line: bcm, field: 'headerPin' };
  const gpio = number('gpio');
  return gpio === undefined ? undefined : { line: gpio, field: 'gpio' };
}

function checkLines(input: CrossCheckInput, parts: Parts): void {
  const views = sourceViews(input, parts);
  const i2cUser = views.find((v) => v.driver === 'ads1115' || v.driver === 'mq6');
  const uartUser = views.find((v) => v.driver === 'ultrasonic' && HEADER_UART_PORTS.includes(v.text('port') ?? ''));
  const claims: { line: number; claim: Claim }[] = [];
  for (const view of views) {
    if (view.driver !== 'contact') continue;
    const named = namedLine((key) => view.number(key));
    if (named !== undefined) {
      claims.push({ line: named.line, claim: { path: ['sensors', view.i, 'source', named.field], who: sensorWho(input, parts, view.i) } });
    }
  }
  if (isRecord(input.outputs)) {
    for (const [name, block] of Object.entries(input.outputs as Record<string, unknown>)) {
      if (!isRecord(block)) continue;
      const named = namedLine((key) => {
        const v = parts.sound('outputs', name, key) ? block[key] : undefined;
        return typeof v === 'number' ? v : undefined;
      });
      if (named !== undefined) claims.push({ line: named.line, claim: { path: ['outputs', name, named.field], who: `outputs.${name}` } });
    }
  }
  const book = new ClaimBook(parts);
  for (const { line, claim } of claims) {
    if (i2cUser !== undefined && I2C_LINES.includes(line)) {
      parts.issue(
        claim.path,
        `${describeLine(line)} is the I2C bus that ${sensorWho(input, parts, i2cUser.i)} uses: wire this to a free line such as GPIO17 (pin 11)`,
      );
      continue;
    }
    if (uartUser !== undefined && UART_LINES.includes(line)) {
      parts.issue(
        claim.path,
        `${describeLine(line)} is the UART that ${sensorWho(input, parts, uartUser.i)} uses: wire this to a free line such as GPIO27 (pin 13)`,
      );
      continue;
    }
    book.claim(String(line), claim, (first) => `${describeLine(line)} is already used by ${first.who}`);
  }
}

function checkBuses(input: CrossCheckInput, parts: Parts): void {
  const defaultBus = parts.sound('hardware', 'i2cBus') && isRecord(input.hardware) ? input.hardware.i2cBus : 1;
  const adc = new ClaimBook(parts);
  const serial = new ClaimBook(parts);
  for (const view of sourceViews(input, parts)) {
    const who = sensorWho(input, parts, view.i);
    if (view.driver === 'ads1115' || view.driver === 'mq6') {
      const bus = parts.sound('sensors', view.i, 'source', 'bus') ? (view.number('bus') ?? defaultBus) : undefined;
      const address = view.number('address');
      const adcInput = view.text('input');
      if (bus === undefined || address === undefined || adcInput === undefined) continue;
      adc.claim(
        `${bus}:${address}:${adcInput}`,
        { path: ['sensors', view.i, 'source', 'input'], who },
        (first) => `${adcInput} of the ADS1115 at ${hex(address)} on bus ${bus} is already read by ${first.who}`,
      );
    } else if (view.driver === 'ultrasonic') {
      const port = view.text('port');
      if (port !== undefined) {
        serial.claim(port, { path: ['sensors', view.i, 'source', 'port'], who }, (first) => `${port} is already used by ${first.who}`);
      }
    } else if (view.driver === 'mqtt' && parts.sound('mqtt', 'mode') && isRecord(input.mqtt) && input.mqtt.mode === 'off') {
      parts.issue(['sensors', view.i, 'source', 'driver'], 'needs MQTT, but mqtt.mode is off: set it to embedded (or external)');
    }
  }
}

function checkTcpPorts(input: CrossCheckInput, parts: Parts): void {
  const book = new ClaimBook(parts);
  if (isRecord(input.mqtt) && parts.sound('mqtt', 'mode') && parts.sound('mqtt', 'port') && input.mqtt.mode === 'embedded') {
    book.claim(String(input.mqtt.port), { path: ['mqtt', 'port'], who: 'mqtt.port' }, (f) => `port ${input.mqtt.port} is already ${f.who}`);
    const ws = input.mqtt.websocketPort;
    if (ws !== undefined && parts.sound('mqtt', 'websocketPort')) book.claim(String(ws), { path: ['mqtt', 'websocketPort'], who: 'mqtt.websocketPort' }, (f) => `port ${ws} is already ${f.who}`);
  }
  if (isRecord(input.api) && parts.sound('api', 'port')) {
    const api = input.api.port;
    book.claim(String(api), { path: ['api', 'port'], who: 'api.port' }, (f) => `port ${api} is already ${f.who}`);
  }
}

export function crossCheck(input: CrossCheckInput, parts: Parts): void {
  if (Array.isArray(input.sensors)) checkIds(input, parts);
  checkLines(input, parts);
  checkBuses(input, parts);
  checkTcpPorts(input, parts);
}
