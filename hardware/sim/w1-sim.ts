import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock, TimerHandle } from '../clock.js';
import { silentLogger, type Logger } from '../logger.js';

/**
 * A 1-Wire bus emulated at file level: a directory laid out like
 * /sys/bus/w1/devices, with one `28-<id>/w1_slave` per DS18B20 in the exact
 * two-line format of the kernel's w1_therm driver (scratchpad bytes, CRC
 * verdict, t=<milli °C>). --simulate points the DS18B20 driver at `root`.
 */
export type W1Fault =
  /** The CRC line says NO (a noisy bus). */
  | 'crc'
  /** The power-on scratchpad: t=85000 (a brown-out reset). */
  | 'power_on'
  /** Only the first line (a file caught mid-write). */
  | 'truncated'
  /** Nine zero bytes with a valid CRC (data line shorted to GND). */
  | 'all_zero';

/** The Dallas/Maxim CRC-8 (x⁸ + x⁵ + x⁴ + 1, reflected), as w1_calc_crc8 computes it. */
export function dallasCrc8(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    let b = byte;
    for (let i = 0; i < 8; i++) {
      const mix = (crc ^ b) & 1;
      crc >>= 1;
      if (mix !== 0) crc ^= 0x8c;
      b >>= 1;
    }
  }
  return crc;
}

/** The 9-byte scratchpad of a DS18B20 at 12-bit resolution reading `celsius`. */
export function scratchpadFor(celsius: number): Uint8Array {
  const raw = Math.max(-0x8000, Math.min(0x7fff, Math.round(celsius * 16)));
  return withCrc([raw & 0xff, (raw >> 8) & 0xff, 0x4b, 0x46, 0x7f, 0xff, (0x10 - (raw & 0x0f)) & 0xff, 0x10]);
}

/** The scratchpad after power-on, before any conversion (datasheet reset values). */
export const POWER_ON_SCRATCHPAD: Uint8Array = withCrc([0x50, 0x05, 0x4b, 0x46, 0x7f, 0xff, 0x0c, 0x10]);

function withCrc(first8: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(9);
  bytes.set(first8);
  bytes[8] = dallasCrc8(bytes.subarray(0, 8));
  return bytes;
}

/**
 * The text of w1_slave for a scratchpad, as w1_therm prints it: the CRC it
 * computed over bytes 0–7 and whether byte 8 matches, then t= as the kernel's
 * integer arithmetic gives it (raw × 1000 / 16, truncated).
 */
export function w1SlaveText(scratchpad: Uint8Array): string {
  const hex = [...scratchpad].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  const crc = dallasCrc8(scratchpad.subarray(0, 8));
  const verdict = crc === scratchpad[8] ? 'YES' : 'NO';
  // Sign-extend the 16-bit two's complement register.
  const raw = (((scratchpad[1] ?? 0) << 24) >> 16) | (scratchpad[0] ?? 0);
  const milli = Math.trunc((raw * 1000) / 16);
  return `${hex} : crc=${crc.toString(16).padStart(2, '0')} ${verdict}\n${hex} t=${milli}\n`;
}

/** A plausible id for the nth simulated sensor, e.g. 28-5e0000000001. */
export function simulatedW1Id(n: number): string {
  return `28-5e${n.toString(16).padStart(10, '0')}`;
}

interface SimSensor {
  readonly source: () => number;
  readonly faults: W1Fault[];
}

export class W1Sim {
  readonly root: string;
  readonly #sensors = new Map<string, SimSensor>();
  readonly #ownsRoot: boolean;

  constructor(root: string, options: { ownsRoot?: boolean } = {}) {
    this.root = root;
    this.#ownsRoot = options.ownsRoot ?? false;
  }

  /** A bus in a fresh temporary directory, removed again by dispose(). */
  static async inTempDir(prefix = 'easygas-w1-'): Promise<W1Sim> {
    return new W1Sim(await mkdtemp(join(tmpdir(), prefix)), { ownsRoot: true });
  }

  /** Plugs in a sensor reading `source()` °C and writes its first w1_slave. */
  async addSensor(id: string, source: () => number): Promise<void> {
    if (!/^28-[0-9a-f]{12}$/.test(id)) throw new RangeError(`not a DS18B20 id: ${id}`);
    this.#sensors.set(id, { source, faults: [] });
    await mkdir(join(this.root, id), { recursive: true });
    await this.#write(id);
  }

  /** The next `count` refreshes of `id` write `fault` instead of a good reading. */
  inject(id: string, fault: W1Fault, count = 1): void {
    const sensor = this.#sensors.get(id);
    if (sensor === undefined) throw new Error(`no simulated sensor ${id}`);
    for (let i = 0; i < count; i++) sensor.faults.push(fault);
  }

  /** Removes the sensor's directory, as the kernel does when a sensor stops answering. */
  async unplug(id: string): Promise<void> {
    this.#sensors.delete(id);
    await rm(join(this.root, id), { recursive: true, force: true });
  }

  /** Rewrites every sensor's w1_slave from its source (or its next injected fault). */
  async refresh(): Promise<void> {
    for (const id of [...this.#sensors.keys()]) await this.#write(id);
  }

  /** Refreshes every `intervalMs` on `clock` until the returned function is called. */
  startRefreshing(clock: Clock, intervalMs = 1000, logger: Logger = silentLogger): () => void {
    let timer: TimerHandle | undefined;
    let stopped = false;
    const tick = async (): Promise<void> => {
      try {
        await this.refresh();
      } catch (err) {
        logger.warn({ err }, '1-Wire simulator could not write a sensor file');
      }
      if (!stopped) timer = clock.setTimeout(() => void tick(), intervalMs);
    };
    timer = clock.setTimeout(() => void tick(), intervalMs);
    return () => {
      stopped = true;
      if (timer !== undefined) clock.clearTimeout(timer);
    };
  }

  async dispose(): Promise<void> {
    this.#sensors.clear();
    if (this.#ownsRoot) await rm(this.root, { recursive: true, force: true });
  }

  async #write(id: string): Promise<void> {
    const sensor = this.#sensors.get(id);
    if (sensor === undefined) return;
    const text = contentFor(sensor.faults.shift(), sensor.source);
    // Written aside and renamed, so a reader never sees a half-written file.
    const file = join(this.root, id, 'w1_slave');
    await writeFile(`${file}.tmp`, text);
    await rename(`${file}.tmp`, file);
  }
}

function contentFor(fault: W1Fault | undefined, source: () => number): string {
  switch (fault) {
    case undefined:
      return w1SlaveText(scratchpadFor(source()));
    case 'power_on':
      return w1SlaveText(POWER_ON_SCRATCHPAD);
    case 'all_zero':
      return w1SlaveText(new Uint8Array(9));
    case 'crc': {
      const bytes = scratchpadFor(source());
      bytes[8] = (bytes[8] ?? 0) ^ 0x5a;
      return w1SlaveText(bytes);
    }
    case 'truncated':
      return w1SlaveText(scratchpadFor(source())).split('\n')[0] ?? '';
  }
}
