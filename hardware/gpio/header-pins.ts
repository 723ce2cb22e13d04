/**
 * The Raspberry Pi 40-pin header as data (identical on every 40-pin model,
 * Pi 1 B+ through Pi 5). Config files use BCM numbers; people wire by physical
 * pin, so every message names both ("GPIO17 (pin 11)").
 */
export type HeaderPin =
  | { readonly pin: number; readonly kind: 'gpio'; readonly bcm: number }
  | { readonly pin: number; readonly kind: 'power'; readonly volts: 3.3 | 5 }
  | { readonly pin: number; readonly kind: 'ground' };

const gpio = (pin: number, bcm: number): HeaderPin => ({ pin, kind: 'gpio', bcm });
const power = (pin: number, volts: 3.3 | 5): HeaderPin => ({ pin, kind: 'power', volts });
const ground = (pin: number): HeaderPin => ({ pin, kind: 'ground' });

/** Pins 1…40 in order: odd pins are the inner row (pin 1 is the square pad). */
export const HEADER_PINS: readonly HeaderPin[] = Object.freeze([
  power(1, 3.3), power(2, 5),
  gpio(3, 2), power(4, 5),
  gpio(5, 3), ground(6),
  gpio(7, 4), gpio(8, 14),
  ground(9), gpio(10, 15),
  gpio(11, 17), gpio(12, 18),
  gpio(13, 27), ground(14),
  gpio(15, 22), gpio(16, 23),
  power(17, 3.3), gpio(18, 24),
  gpio(19, 10), ground(20),
  gpio(21, 9), gpio(22, 25),
  gpio(23, 11), gpio(24, 8),
  ground(25), gpio(26, 7),
  gpio(27, 0), gpio(28, 1),
  gpio(29, 5), ground(30),
  gpio(31, 6), gpio(32, 12),
  gpio(33, 13), ground(34),
  gpio(35, 19), gpio(36, 16),
  gpio(37, 26), gpio(38, 20),
  ground(39), gpio(40, 21),
]);

/** The header carries BCM GPIO0…GPIO27; higher lines of the chip are not on it. */
export const HEADER_GPIO_MAX = 27;

export const PINS_3V3: readonly number[] = pinsWhere((p) => p.kind === 'power' && p.volts === 3.3);
export const PINS_5V: readonly number[] = pinsWhere((p) => p.kind === 'power' && p.volts === 5);
export const GROUND_PINS: readonly number[] = pinsWhere((p) => p.kind === 'ground');

function pinsWhere(test: (p: HeaderPin) => boolean): readonly number[] {
  return Object.freeze(HEADER_PINS.filter(test).map((p) => p.pin));
}

/** BCM GPIO number on a physical pin, or undefined for power, ground or a pin outside 1…40. */
export function bcmForHeaderPin(pin: number): number | undefined {
  const entry = HEADER_PINS[pin - 1];
  return entry?.kind === 'gpio' ? entry.bcm : undefined;
}

/** Physical pin of a BCM GPIO line, or undefined when the line is not on the header. */
export function headerPinForBcm(line: number): number | undefined {
  for (const p of HEADER_PINS) if (p.kind === 'gpio' && p.bcm === line) return p.pin;
  return undefined;
}

export function isHeaderGpio(line: number): boolean {
  return Number.isInteger(line) && line >= 0 && line <= HEADER_GPIO_MAX;
}

/** "GPIO17 (pin 11)": how messages name a line. */
export function describeLine(line: number): string {
  const pin = headerPinForBcm(line);
  return pin === undefined ? `GPIO${line} (not on the header)` : `GPIO${line} (pin ${pin})`;
}

export type SpecialBus = 'i2c' | 'uart' | 'one_wire' | 'spi' | 'hat_eeprom';

export interface SpecialFunction {
  readonly bus: SpecialBus;
  /** The signal the line carries for that bus, e.g. "SDA". */
  readonly signal: string;
  /** The config.txt setting that gives the line to the bus. */
  readonly enabledBy: string;
  /** Why a plain digital input or output on this line is a bad idea. */
  readonly note: string;
}

const I2C: Omit<SpecialFunction, 'signal'> = {
  bus: 'i2c',
  enabledBy: 'dtparam=i2c_arm=on',
  note: 'the I2C bus of the ADS1115; the board pulls it up to 3.3 V with 1.8 kΩ, so it idles high',
};
const UART: Omit<SpecialFunction, 'signal'> = {
  bus: 'uart',
  enabledBy: 'enable_uart=1 (Pi 5: dtparam=uart0=on)',
  note: 'the UART of an ultrasonic level sensor',
};
const SPI: Omit<SpecialFunction, 'signal'> = {
  bus: 'spi',
  enabledBy: 'dtparam=spi=on',
  note: 'SPI0; free only while SPI is disabled',
};
const HAT: Omit<SpecialFunction, 'signal'> = {
  bus: 'hat_eeprom',
  enabledBy: 'always (read by the firmware at boot)',
  note: 'reserved for a HAT ID EEPROM: never wire a sensor here',
};

const SPECIAL: ReadonlyMap<number, readonly SpecialFunction[]> = new Map<number, readonly SpecialFunction[]>([
  [0, [{ ...HAT, signal: 'ID_SD' }]],
  [1, [{ ...HAT, signal: 'ID_SC' }]],
  [2, [{ ...I2C, signal: 'SDA' }]],
  [3, [{ ...I2C, signal: 'SCL' }]],
  [
    4,
    [
      {
        bus: 'one_wire',
        signal: 'DQ',
        enabledBy: 'dtoverlay=w1-gpio (default gpiopin=4)',
        note: 'the default 1-Wire data pin for DS18B20 sensors; the w1-gpio driver claims it',
      },
    ],
  ],
  [7, [{ ...SPI, signal: 'CE1' }]],
  [8, [{ ...SPI, signal: 'CE0' }]],
  [9, [{ ...SPI, signal: 'MISO' }]],
  [10, [{ ...SPI, signal: 'MOSI' }]],
  [11, [{ ...SPI, signal: 'SCLK' }]],
  [14, [{ ...UART, signal: 'TXD' }]],
  [15, [{ ...UART, signal: 'RXD' }]],
]);

/** The buses that can claim a line (empty for a general-purpose line). */
export function specialFunctionsOf(line: number): readonly SpecialFunction[] {
  return SPECIAL.get(line) ?? [];
}

/**
 * A sentence warning that a line doubles as a bus pin, for wiring advice and
 * `easygas doctor`; undefined when the line is free for a contact, buzzer or LED.
 */
export function lineConflictWarning(line: number): string | undefined {
  if (!isHeaderGpio(line)) {
    return `GPIO${line} is not on the 40-pin header (use GPIO0–GPIO${HEADER_GPIO_MAX}).`;
  }
  const uses = specialFunctionsOf(line);
  if (uses.length === 0) return undefined;
  const what = uses.map((u) => `${u.bus} ${u.signal} when ${u.enabledBy}: ${u.note}`).join('; ');
  return `${describeLine(line)} is also ${what}. Prefer a free pin such as GPIO17 (pin 11) or GPIO27 (pin 13).`;
}
