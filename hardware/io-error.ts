import type { Fault, FaultCode } from './fault.js';

/**
 * Turns the raw errors that i2c-bus, serialport, onoff and fs throw into Faults
 * whose hint tells a homeowner what to check. Every message names the device.
 */
export type IoTarget =
  | { readonly kind: 'i2c'; readonly device: string; readonly address?: number }
  | { readonly kind: 'serial'; readonly device: string }
  | { readonly kind: 'gpio'; readonly device: string }
  | { readonly kind: 'w1'; readonly device: string };

/** errno name of a Node/system error, or one recognised in the message (serialport sets none). */
export function errnoOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
  const raw = (err as { message?: unknown }).message;
  const message = typeof raw === 'string' ? raw : '';
  if (/no such file or directory/i.test(message)) return 'ENOENT';
  if (/permission denied/i.test(message)) return 'EACCES';
  if (/cannot lock port|resource temporarily unavailable/i.test(message)) return 'EBUSY';
  if (/device or resource busy/i.test(message)) return 'EBUSY';
  if (/remote i\/o error/i.test(message)) return 'EREMOTEIO';
  if (/input\/output error/i.test(message)) return 'EIO';
  return undefined;
}

const CODE_BY_ERRNO: Readonly<Record<string, FaultCode>> = {
  ENOENT: 'missing',
  ENODEV: 'missing',
  EACCES: 'permission',
  EPERM: 'permission',
  EIO: 'no_ack',
  EREMOTEIO: 'no_ack',
  ENXIO: 'no_ack',
  EBUSY: 'busy',
  ETIMEDOUT: 'timeout',
  // Our own closed bus/port (LockedI2cBus after close()).
  EBADF: 'closed',
};

export function faultFromIoError(err: unknown, target: IoTarget): Fault {
  const errno = errnoOf(err);
  const code: FaultCode = (errno !== undefined ? CODE_BY_ERRNO[errno] : undefined) ?? 'io';
  // A serial port answers EIO when it vanished (USB adapter unplugged), not "no ack".
  const effective: FaultCode = code === 'no_ack' && target.kind !== 'i2c' ? 'io' : code;
  const where = describeTarget(target);
  const detail = err instanceof Error ? err.message : String(err);
  return {
    code: effective,
    message: `${summary(effective, target)} (${where}: ${detail})`,
    hint: hintFor(effective, target),
  };
}

export function describeTarget(target: IoTarget): string {
  if (target.kind === 'i2c' && target.address !== undefined) {
    return `${target.device} address ${hex(target.address)}`;
  }
  return target.device;
}

export function hex(address: number): string {
  return `0x${address.toString(16).padStart(2, '0')}`;
}

function summary(code: FaultCode, target: IoTarget): string {
  switch (code) {
    case 'missing':
      return `${target.device} does not exist`;
    case 'permission':
      return `no permission to use ${target.device}`;
    case 'no_ack':
      return `no device acknowledged at ${describeTarget(target)}`;
    case 'busy':
      return `${target.device} is held by another process`;
    case 'timeout':
      return `${describeTarget(target)} did not answer in time`;
    case 'closed':
      return `${target.device} was closed`;
    default:
      return `I/O error on ${describeTarget(target)}`;
  }
}

const GROUP_BY_KIND = { i2c: 'i2c', serial: 'dialout', gpio: 'gpio', w1: 'gpio' } as const;

function hintFor(code: FaultCode, target: IoTarget): string {
  const group = GROUP_BY_KIND[target.kind];
  if (code === 'permission') {
    return (
      `Add the user that runs easygas to the '${group}' group ` +
      `(sudo usermod -aG ${group} <user>), then log in again or restart the service.`
    );
  }
  switch (target.kind) {
    case 'i2c':
      return i2cHint(code, target.address);
    case 'serial':
      return serialHint(code);
    case 'gpio':
      return gpioHint(code);
    case 'w1':
      return w1Hint(code);
  }
}

function i2cHint(code: FaultCode, address: number | undefined): string {
  if (code === 'missing') {
    return (
      'Enable I2C: add dtparam=i2c_arm=on to /boot/firmware/config.txt ' +
      '(or sudo raspi-config → Interface Options → I2C) and reboot; the header bus is /dev/i2c-1.'
    );
  }
  if (code === 'busy') return 'Stop the other program using this I2C device (another easygas instance?).';
  const at = address !== undefined ? ` at ${hex(address)}` : '';
  return (
    `Check the wiring (SDA = GPIO2 pin 3, SCL = GPIO3 pin 5, 3.3 V, GND) and the address${at}: ` +
    'an ADS1115 answers at 0x48 (ADDR to GND), 0x49 (VDD), 0x4A (SDA) or 0x4B (SCL). ' +
    'Run `i2cdetect -y 1` to list the devices that answer.'
  );
}

function serialHint(code: FaultCode): string {
  if (code === 'missing') {
    return (
      'Enable the UART: add enable_uart=1 to /boot/firmware/config.txt (Pi 5: dtparam=uart0=on for ' +
      '/dev/ttyAMA0 on GPIO14/15) and reboot; /dev/serial0 points at the primary UART. ' +
      'For a USB adapter, check it is plugged in (ls /dev/ttyUSB*).'
    );
  }
  if (code === 'busy') {
    return (
      'Another process holds the port — usually the serial login console. Disable it: ' +
      'sudo raspi-config → Interface Options → Serial Port → login shell: No, hardware: Yes ' +
      '(or remove console=serial0,115200 from /boot/firmware/cmdline.txt) and reboot. ' +
      'Check with `sudo fuser -v <port>`.'
    );
  }
  return 'Check the cable and the adapter; the port may have disappeared (USB unplugged).';
}

function gpioHint(code: FaultCode): string {
  if (code === 'missing') {
    return (
      'sysfs GPIO is not available (/sys/class/gpio). Use a Raspberry Pi OS kernel with ' +
      'CONFIG_GPIO_SYSFS, or run with --simulate on a machine without GPIO.'
    );
  }
  if (code === 'busy') {
    return 'The pin is already exported by another program: echo <n> > /sys/class/gpio/unexport, or stop that program.';
  }
  return 'Check the pin number in the config (BCM numbering, e.g. GPIO17 is header pin 11).';
}

function w1Hint(code: FaultCode): string {
  if (code === 'missing') {
    return (
      'Enable 1-Wire: add dtoverlay=w1-gpio (data on GPIO4, header pin 7) to ' +
      '/boot/firmware/config.txt and reboot; check the 4.7 kΩ pull-up and the sensor id ' +
      '(ls /sys/bus/w1/devices).'
    );
  }
  return 'Check the 1-Wire wiring and the 4.7 kΩ pull-up between data and 3.3 V.';
}
