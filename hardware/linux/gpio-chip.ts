import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { HardwareError } from '../fault.js';
import { HEADER_GPIO_MAX, describeLine } from '../gpio/header-pins.js';
import { faultFromIoError } from '../io-error.js';

/**
 * Finds the gpiochip that drives the 40-pin header under /sys/class/gpio, so a
 * BCM line number can be turned into the kernel's sysfs number.
 *
 * Since kernel 6.6 (and on the Pi 5 since launch) sysfs numbers are offset by
 * the chip's dynamically allocated base: 512 on Pi ≤ 4 (GPIO4 = 516), 571 on a
 * Pi 5, 399 on some 6.1 Pi 5 kernels, 458 on Debian's own arm64 kernel, 0 on old
 * kernels. The base depends on probe order, so the chip is found by its label and
 * never assumed to be the first one (fivdi/onoff#199, #200).
 */
export interface GpioChipInfo {
  /** Directory name, e.g. "gpiochip512". */
  readonly name: string;
  readonly label: string;
  /** First sysfs number of the chip. */
  readonly base: number;
  /** How many lines the chip has. */
  readonly ngpio: number;
}

/**
 * Labels of the chip that owns the header, most specific first:
 * - pinctrl-bcm2711: Pi 4, 400, CM4 (Raspberry Pi kernels);
 * - pinctrl-bcm2835: Pi 1–3, Zero, Zero 2 W; also the Pi 4 on mainline kernels,
 *   which give the BCM2711 chip the bcm2835 label (pinctrl-bcm2835.c uses
 *   MODULE_NAME for both since 2022);
 * - pinctrl-rp1: Pi 5, 500, CM5 (the RP1 south bridge; same label in the
 *   Raspberry Pi and the mainline driver).
 * Not the header: raspberrypi-exp-gpio (firmware expander: LEDs, camera power),
 * brcmvirt-gpio, gpio-brcmstb@… (the BCM2712's own pins on a Pi 5).
 */
export const HEADER_CHIP_LABELS: readonly string[] = Object.freeze([
  'pinctrl-bcm2711',
  'pinctrl-bcm2835',
  'pinctrl-rp1',
]);

export const DEFAULT_GPIO_SYSFS_ROOT = '/sys/class/gpio';

/** Every gpiochip under the sysfs root, sorted by base. Throws a 'missing' HardwareError without sysfs GPIO. */
export async function listGpioChips(sysfsRoot = DEFAULT_GPIO_SYSFS_ROOT): Promise<GpioChipInfo[]> {
  let entries: string[];
  try {
    entries = await readdir(sysfsRoot);
  } catch (err) {
    throw new HardwareError(faultFromIoError(err, { kind: 'gpio', device: sysfsRoot }), { cause: err });
  }
  const chips: GpioChipInfo[] = [];
  for (const name of entries.filter((e) => /^gpiochip\d+$/.test(e))) {
    const chip = await readChip(sysfsRoot, name);
    if (chip !== undefined) chips.push(chip);
  }
  return chips.sort((a, b) => a.base - b.base);
}

/** A chip whose attributes cannot be read or parsed is skipped: it cannot be the header. */
async function readChip(sysfsRoot: string, name: string): Promise<GpioChipInfo | undefined> {
  const dir = join(sysfsRoot, name);
  try {
    const [label, base, ngpio] = await Promise.all(
      ['label', 'base', 'ngpio'].map(async (attr) => (await readFile(join(dir, attr), 'utf8')).trim()),
    );
    const baseNumber = Number(base);
    const ngpioNumber = Number(ngpio);
    if (label === undefined || !Number.isInteger(baseNumber) || !Number.isInteger(ngpioNumber)) return undefined;
    if (baseNumber < 0 || ngpioNumber <= 0) return undefined;
    return { name, label, base: baseNumber, ngpio: ngpioNumber };
  } catch {
    return undefined;
  }
}

/**
 * The header's gpiochip. Rejects with a HardwareError ('missing') when there is
 * no sysfs GPIO at all, or when no chip carries a known header label (the
 * message lists the labels found, so a new board can be added from a bug report).
 */
export async function findHeaderGpioChip(sysfsRoot = DEFAULT_GPIO_SYSFS_ROOT): Promise<GpioChipInfo> {
  const chips = await listGpioChips(sysfsRoot);
  for (const label of HEADER_CHIP_LABELS) {
    // Sorted by base: with two chips of one label (never seen), the lower one is the SoC's.
    const chip = chips.find((c) => c.label === label);
    if (chip !== undefined) return chip;
  }
  const found = chips.map((c) => `${c.name} "${c.label}"`).join(', ');
  throw new HardwareError({
    code: 'missing',
    message:
      chips.length === 0
        ? `no gpiochip under ${sysfsRoot}`
        : `no gpiochip under ${sysfsRoot} drives the Raspberry Pi header (found ${found})`,
    hint:
      `easygas knows the header chips ${HEADER_CHIP_LABELS.join(', ')}. On a Raspberry Pi, check ` +
      '`cat /sys/class/gpio/gpiochip*/label` and report the labels; elsewhere run with --simulate.',
  });
}

/**
 * The sysfs number of a header line: base + line. Throws an 'out_of_range'
 * HardwareError for a line that the chip lacks or that is not on the header.
 */
export function sysfsNumber(chip: GpioChipInfo, line: number): number {
  if (!Number.isInteger(line) || line < 0 || line >= chip.ngpio || line > HEADER_GPIO_MAX) {
    throw new HardwareError({
      code: 'out_of_range',
      message: `${describeLine(line)} is not a header line of ${chip.name} "${chip.label}" (${chip.ngpio} lines)`,
      hint: `Use a BCM number from 0 to ${HEADER_GPIO_MAX} (e.g. GPIO17 is header pin 11), not a physical pin number.`,
    });
  }
  return chip.base + line;
}
