import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { HardwareError, OutcomeCounter, failed, ok, type Fault, type OutcomeCounts, type Result } from '../fault.js';
import { faultFromIoError } from '../io-error.js';

/**
 * DS18B20 temperature sensors on the kernel's 1-Wire bus (dtoverlay=w1-gpio).
 * The w1_therm driver does the bus work; each sensor is a directory
 * `<w1Root>/28-xxxxxxxxxxxx/` whose `w1_slave` file reads as two lines:
 *
 *   72 01 4b 46 7f ff 0e 10 57 : crc=57 YES
 *   72 01 4b 46 7f ff 0e 10 57 t=23125
 *
 * Reading the file starts a conversion and takes ~750 ms at 12 bits.
 */
export const DEFAULT_W1_ROOT = '/sys/bus/w1/devices';

/** Family code 28 (DS18B20) plus the 48-bit serial number in hex. */
const DS18B20_ID = /^28-[0-9a-f]{12}$/;

export interface Ds18b20Reading {
  readonly celsius: number;
}

export interface Ds18b20Options {
  readonly w1Root?: string;
}

/** The DS18B20's rated range, °C. */
export const DS18B20_MIN_C = -55;
export const DS18B20_MAX_C = 125;

/** The scratchpad's temperature register holds this after power-on until a conversion completes. */
const POWER_ON_MILLI_C = 85_000;

/** Ids of the DS18B20s the kernel sees, sorted. Throws a 'missing' HardwareError when 1-Wire is not enabled. */
export async function listDs18b20(w1Root = DEFAULT_W1_ROOT): Promise<string[]> {
  try {
    const entries = await readdir(w1Root);
    return entries.filter((e) => DS18B20_ID.test(e)).sort();
  } catch (err) {
    throw new HardwareError(faultFromIoError(err, { kind: 'w1', device: w1Root }), { cause: err });
  }
}

/** One reading; every failure is a Fault, never a throw. */
export async function readDs18b20(id: string, options: Ds18b20Options = {}): Promise<Result<Ds18b20Reading>> {
  const device = `DS18B20 ${id}`;
  if (!DS18B20_ID.test(id)) {
    return failed({
      code: 'missing',
      message: `'${id}' is not a DS18B20 id (28- and 12 hex digits)`,
      hint: 'Copy the id from `ls /sys/bus/w1/devices` (e.g. 28-0316a2795aff).',
    });
  }
  let text: string;
  try {
    text = await readFile(join(options.w1Root ?? DEFAULT_W1_ROOT, id, 'w1_slave'), 'utf8');
  } catch (err) {
    return failed(faultFromIoError(err, { kind: 'w1', device }));
  }
  return parseW1Slave(text, device);
}

/** Parses the two lines of w1_slave (exported for the simulator's round-trip test). */
export function parseW1Slave(text: string, device: string): Result<Ds18b20Reading> {
  const [crcLine, dataLine] = text.split('\n').map((l) => l.trim());
  const crc = /^((?:[0-9a-fA-F]{2} ){9}): crc=[0-9a-fA-F]{2} (YES|NO)$/.exec(crcLine ?? '');
  if (crc === null) return failed(ioFault(device, `unreadable w1_slave: ${JSON.stringify(text.slice(0, 80))}`));
  if (crc[2] === 'NO') {
    return failed({
      code: 'crc',
      message: `${device}: CRC check failed`,
      hint: 'A noisy or long 1-Wire line: check the 4.7 kΩ pull-up, the connections, and the cable length.',
    });
  }
  const data = /t=(-?\d+)$/.exec(dataLine ?? '');
  if (data?.[1] === undefined) {
    return failed(ioFault(device, 'w1_slave was cut short (no t= line)'));
  }
  const milli = Number(data[1]);
  if (/^(00 ){9}$/.test(crc[1] ?? '')) {
    // All-zero scratchpad has a valid CRC (0), but no real DS18B20 sends it.
    return failed({
      code: 'suspect',
      message: `${device}: all-zero scratchpad (data line held low)`,
      hint: 'Check the data wire for a short to GND and that the sensor has power.',
    });
  }
  if (milli === POWER_ON_MILLI_C) {
    return failed({
      code: 'suspect',
      message: `${device}: power-on reset value 85 °C`,
      hint:
        'The sensor reset before converting: check the supply; a parasite-powered sensor needs a strong pull-up ' +
        '(or wire VDD to 3.3 V).',
    });
  }
  const celsius = milli / 1000;
  if (!(celsius >= DS18B20_MIN_C && celsius <= DS18B20_MAX_C)) {
    return failed({
      code: 'out_of_range',
      message: `${device}: ${celsius} °C is outside the sensor's ${DS18B20_MIN_C}…${DS18B20_MAX_C} °C`,
      hint: 'Check the wiring and the pull-up; replace the sensor if it persists.',
    });
  }
  return ok({ celsius });
}

function ioFault(device: string, what: string): Fault {
  return {
    code: 'io',
    message: `${device}: ${what}`,
    hint: 'Check the 1-Wire wiring and the 4.7 kΩ pull-up between data and 3.3 V.',
  };
}

/** One DS18B20 with its outcome counts, for the poller. */
export class Ds18b20Sensor {
  readonly id: string;
  readonly #w1Root: string;
  readonly #counter = new OutcomeCounter();

  constructor(id: string, options: Ds18b20Options = {}) {
    this.id = id;
    this.#w1Root = options.w1Root ?? DEFAULT_W1_ROOT;
  }

  async read(): Promise<Result<Ds18b20Reading>> {
    return this.#counter.record(await readDs18b20(this.id, { w1Root: this.#w1Root }));
  }

  counts(): OutcomeCounts {
    return this.#counter.snapshot();
  }
}
